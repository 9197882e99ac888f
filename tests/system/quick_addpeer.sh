#!/bin/bash
# addpeer / showpeer / rmpeer: two addpeers give two clients consecutive addresses; each client,
# brought up with its printed config in its own namespace, pings the server through the tunnel
# (the server got the peers live); rmpeer frees an address that the next addpeer reuses;
# removing every added peer leaves the server's file byte for byte as it was (comments, unknown
# lines); concurrent addpeers never share an address; the --qr drawing parses back into
# libqrencode's matrix, and that matrix as a PBM image decodes with zbarimg to exactly the
# client's config; too narrow a terminal is one line.
set -u
QUICK_ARGS=("$@")
. "$(dirname "$0")/quick_private_lib.bash"
quick_private_setup python3 zbarimg ping
TMP="$(mktemp -d /tmp/wgx-addpeer.XXXXXX)"
S="wgx-test-$$-1" C1="wgx-test-$$-2" C2="wgx-test-$$-3" C3="wgx-test-$$-4"
NETNS=("$S" "$C1" "$C2" "$C3")
cleanup() {
	local ns p
	for ns in "${NETNS[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
FAILURES=0
fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
in_ns() { local ns="$1"; shift; timeout 30 ip netns exec "$ns" "$@"; }

for ns in "${NETNS[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
# The server reaches client 1 over 198.51.100.0/24, client 2 over 203.0.113.0/24, client 3
# (the QR one) over a third link.
link() { # link NUM CLIENT_NS SERVER_ADDRESS CLIENT_ADDRESS
	ip link add "s$1" netns "$S" type veth peer name "c$1" netns "$2"
	ip -n "$S" address add "$3" dev "s$1"
	ip -n "$2" address add "$4" dev "c$1"
	ip -n "$S" link set "s$1" up
	ip -n "$2" link set "c$1" up
}
link 1 "$C1" 198.51.100.1/25 198.51.100.2/25
link 2 "$C2" 203.0.113.1/24 203.0.113.2/24
link 3 "$C3" 198.51.100.129/25 198.51.100.130/25

mkdir -m 700 "$TMP/etc" "$TMP/c1" "$TMP/c2" "$TMP/c3"
IF="wgs$(( $$ % 10000 ))"
CONF="$TMP/etc/$IF.conf"
cat > "$CONF" <<EOF2
# The office tunnel: clients get addresses from 192.0.2.0/24 and fd00:14::/64.
[Interface]
PrivateKey = $(wg genkey)
ListenPort = 51820
Address = 192.0.2.1/24, fd00:14::1/64

# a hand-made peer whose address must not be handed out again
[Peer]
PublicKey = $(wg genkey | wg pubkey)
AllowedIPs = 192.0.2.2/32
EOF2
chmod 600 "$CONF"
cp "$CONF" "$TMP/original.conf"
in_ns "$S" "$Q" up "$CONF" > "$TMP/up.log" 2>&1 || { cat "$TMP/up.log"; fail "server up"; }

# 1. Two addpeers: consecutive addresses, clients up and pinging the server.
in_ns "$S" "$Q" addpeer "$CONF" --name alice --endpoint 198.51.100.1 --output "$TMP/c1/wgc1.conf" \
	> "$TMP/add1.out" 2> "$TMP/add1.err" || { cat "$TMP/add1.err"; fail "addpeer alice"; }
[[ ! -s $TMP/add1.out ]] || fail "addpeer --output printed the config too"
in_ns "$S" "$Q" addpeer "$CONF" --name bob --endpoint 203.0.113.1:51820 --psk \
	> "$TMP/c2/wgc2.conf" 2> "$TMP/add2.err" || { cat "$TMP/add2.err"; fail "addpeer bob"; }
grep -qx "Address = 192.0.2.3/24, fd00:14::2/64" "$TMP/c1/wgc1.conf" || { cat "$TMP/c1/wgc1.conf"; fail "alice's addresses"; }
grep -qx "Address = 192.0.2.4/24, fd00:14::3/64" "$TMP/c2/wgc2.conf" || { cat "$TMP/c2/wgc2.conf"; fail "bob's addresses"; }
[[ $(stat -c %a "$TMP/c1/wgc1.conf") == 600 ]] || fail "--output file is not 0600"
[[ $(stat -c %a "$CONF") == 600 ]] || fail "server config is not 0600 after addpeer"
grep -q "^PresharedKey = " "$TMP/c2/wgc2.conf" || fail "--psk gave no PresharedKey"
grep -qx "AllowedIPs = 192.0.2.0/24, fd00:14::/64" "$TMP/c1/wgc1.conf" || fail "client AllowedIPs are not the server's subnets"
grep -qx "Endpoint = 198.51.100.1:51820" "$TMP/c1/wgc1.conf" || fail "a bare --endpoint host did not get the ListenPort"
grep -qx "PersistentKeepalive = 25" "$TMP/c1/wgc1.conf" || fail "no PersistentKeepalive 25"
[[ $(in_ns "$S" wg show "$IF" peers | wc -l) == 3 ]] || fail "the peers were not added live"

in_ns "$C1" "$Q" up "$TMP/c1/wgc1.conf" > "$TMP/c1.log" 2>&1 || { cat "$TMP/c1.log"; fail "client 1 up"; }
in_ns "$C2" "$Q" up "$TMP/c2/wgc2.conf" > "$TMP/c2.log" 2>&1 || { cat "$TMP/c2.log"; fail "client 2 up"; }
in_ns "$C1" ping -c 3 -i 0.2 -W 3 192.0.2.1 > /dev/null || fail "client 1 cannot ping the server"
in_ns "$C1" ping -c 2 -i 0.2 -W 3 fd00:14::1 > /dev/null || fail "client 1 cannot ping the server over IPv6"
in_ns "$C2" ping -c 3 -i 0.2 -W 3 192.0.2.1 > /dev/null || fail "client 2 cannot ping the server"

# 2. showpeer: only what was written with --output.
in_ns "$S" "$Q" showpeer "$CONF" alice > "$TMP/show1" 2>&1 || fail "showpeer alice"
cmp -s "$TMP/show1" "$TMP/c1/wgc1.conf" || fail "showpeer alice differs from the client's file"
if in_ns "$S" "$Q" showpeer "$CONF" bob > "$TMP/show2" 2>&1; then fail "showpeer bob (no --output) succeeded"; fi
grep -q "no saved client configuration" "$TMP/show2" || { cat "$TMP/show2"; fail "showpeer bob's message"; }

# 3. rmpeer frees the address, the next addpeer takes it; live too.
alice_key="$(grep -A1 '^# Name = alice' "$CONF" | sed -n 's/^PublicKey = //p')"
in_ns "$C1" "$Q" down "$TMP/c1/wgc1.conf" > /dev/null 2>&1
in_ns "$S" "$Q" rmpeer "$CONF" alice > "$TMP/rm1.log" 2>&1 || { cat "$TMP/rm1.log"; fail "rmpeer alice"; }
in_ns "$S" wg show "$IF" peers | grep -q "$alice_key" && fail "alice is still live after rmpeer"
grep -q "# Name = alice" "$CONF" && fail "alice is still in the file"
in_ns "$S" "$Q" addpeer "$CONF" --name carol --endpoint 198.51.100.1 > "$TMP/c1/wgc1.conf" 2> "$TMP/add3.err" ||
	{ cat "$TMP/add3.err"; fail "addpeer carol"; }
grep -qx "Address = 192.0.2.3/24, fd00:14::2/64" "$TMP/c1/wgc1.conf" || { cat "$TMP/c1/wgc1.conf"; fail "carol did not reuse alice's addresses"; }
in_ns "$C1" "$Q" up "$TMP/c1/wgc1.conf" > "$TMP/c1b.log" 2>&1 || { cat "$TMP/c1b.log"; fail "client 1 up as carol"; }
in_ns "$C1" ping -c 3 -i 0.2 -W 3 192.0.2.1 > /dev/null || fail "carol cannot ping the server"
if in_ns "$S" "$Q" addpeer "$CONF" --name carol --endpoint 198.51.100.1 > /dev/null 2> "$TMP/dup.err"; then
	fail "a second peer named carol was added"
fi

# 4. Concurrent addpeers never get the same address.
for n in 1 2 3 4; do
	in_ns "$S" "$Q" addpeer "$CONF" --name "par$n" --endpoint 198.51.100.1 > "$TMP/par$n" 2>/dev/null &
done
wait
sort "$TMP"/par? | grep '^Address' | uniq -d > "$TMP/dups"
[[ $(grep -c '^Address' "$TMP"/par? | grep -c ':1$') == 4 ]] || fail "a concurrent addpeer failed"
[[ ! -s $TMP/dups ]] || { cat "$TMP/dups"; fail "concurrent addpeers shared an address"; }
in_ns "$S" "$Q" addpeer "$CONF" --name erin --endpoint 198.51.100.1 --dns 192.0.2.53,example.test \
	--keepalive 0 --allowed-ips 0.0.0.0/0 > "$TMP/erin" 2>/dev/null || fail "addpeer erin"
grep -qx "DNS = 192.0.2.53, example.test" "$TMP/erin" || fail "--dns not in the client config"
grep -qx "AllowedIPs = 0.0.0.0/0" "$TMP/erin" || fail "--allowed-ips not in the client config"
grep -q "PersistentKeepalive" "$TMP/erin" && fail "--keepalive 0 still wrote PersistentKeepalive"

# 5. The QR code: drawing == libqrencode's matrix; PBM of the matrix decodes to the config.
in_ns "$S" env LC_ALL=C.UTF-8 COLUMNS=300 "$Q" addpeer "$CONF" --name dave \
	--endpoint 198.51.100.129 --output "$TMP/c3/wgc3.conf" --qr > "$TMP/qr.utf8" 2> "$TMP/qr.err" || { cat "$TMP/qr.err"; fail "addpeer --qr"; }
python3 - "$TMP/qr.utf8" "$TMP/c3/wgc3.conf" "$TMP/qr.pbm" <<'PY' || fail "QR drawing does not match libqrencode's matrix"
import ctypes, sys
drawing, config_path, pbm = sys.argv[1:]
config = open(config_path, "rb").read()

class QRcode(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("width", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte))]
lib = ctypes.CDLL("libqrencode.so.4")
lib.QRcode_encodeString.restype = ctypes.POINTER(QRcode)
lib.QRcode_encodeString.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int]
code = lib.QRcode_encodeString(config, 0, 0, 2, 1)  # version auto, level L, 8-bit mode, case-sensitive
w = code.contents.width
matrix = [[bool(code.contents.data[y * w + x] & 1) for x in range(w)] for y in range(w)]

# The drawing back into modules: glyphs are light modules, two rows per line.
rows = open(drawing, encoding="utf-8").read().split("\n")[:-1]
top = {"\u2588": (False, False), "\u2580": (False, True), "\u2584": (True, False), " ": (True, True)}
size = len(rows[0])
parsed = []
for line in rows:
    assert len(line) == size, "ragged drawing"
    parsed.append([top[c][0] for c in line])
    parsed.append([top[c][1] for c in line])
parsed = parsed[:size]
zone = (size - w) // 2
inner = [row[zone:zone + w] for row in parsed[zone:zone + w]]
assert all(not any(row[:zone]) and not any(row[zone + w:]) for row in parsed), "quiet zone not light"
if inner != matrix:
    print("drawing differs from the matrix")
    sys.exit(1)

# The matrix as a PBM (4 px per module, 4-module quiet zone) for zbarimg.
scale, quiet = 4, 4
n = (w + 2 * quiet) * scale
with open(pbm, "w") as f:
    f.write(f"P1\n{n} {n}\n")
    for y in range(n):
        my = y // scale - quiet
        f.write(" ".join("1" if 0 <= my < w and 0 <= x // scale - quiet < w and matrix[my][x // scale - quiet] else "0" for x in range(n)) + "\n")
PY
zbarimg --raw -q "$TMP/qr.pbm" > "$TMP/qr.decoded" 2> "$TMP/zbarimg.err" || fail "zbarimg could not decode the QR code"
# zbarimg ends its output with one newline of its own.
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); c=open(sys.argv[2],"rb").read(); sys.exit(0 if d == c + b"\n" else 1)' \
	"$TMP/qr.decoded" "$TMP/c3/wgc3.conf" || { diff "$TMP/qr.decoded" "$TMP/c3/wgc3.conf"; fail "the decoded QR code is not the client config"; }
in_ns "$C3" "$Q" up "$TMP/c3/wgc3.conf" > "$TMP/c3.log" 2>&1 || { cat "$TMP/c3.log"; fail "client 3 up"; }
in_ns "$C3" ping -c 2 -i 0.2 -W 3 192.0.2.1 > /dev/null || fail "the QR client cannot ping the server"
# showpeer --qr draws the same; the ASCII fallback and too narrow a terminal.
in_ns "$S" env LC_ALL=C.UTF-8 COLUMNS=300 "$Q" showpeer "$CONF" dave --qr > "$TMP/qr.again" 2>&1
cmp -s "$TMP/qr.utf8" "$TMP/qr.again" || fail "showpeer --qr draws another code"
in_ns "$S" env LC_ALL=C COLUMNS=300 "$Q" showpeer "$CONF" dave --qr > "$TMP/qr.ascii" 2>&1 || fail "ASCII QR"
[[ $(head -1 "$TMP/qr.ascii" | tr -d '#' | wc -c) == 1 ]] || fail "the ASCII quiet zone is not all '#'"
[[ $(head -1 "$TMP/qr.ascii" | wc -c) == $(( 2 * $(head -1 "$TMP/qr.utf8" | python3 -c 'import sys; print(len(sys.stdin.read().rstrip("\n")))') + 1 )) ]] ||
	fail "the ASCII drawing is not two characters per module"
if in_ns "$S" env LC_ALL=C.UTF-8 COLUMNS=30 "$Q" showpeer "$CONF" dave --qr > "$TMP/narrow.out" 2> "$TMP/narrow.err"; then
	fail "a too narrow terminal was accepted"
fi
[[ $(wc -l < "$TMP/narrow.err") == 1 && ! -s $TMP/narrow.out ]] || fail "too narrow: not one line"
grep -q "columns wide (this one has 30)" "$TMP/narrow.err" || { cat "$TMP/narrow.err"; fail "too narrow: the message"; }

# 6. Removing every added peer gives back the original file, byte for byte.
for n in bob carol par1 par2 par3 par4 erin dave; do
	in_ns "$S" "$Q" rmpeer "$CONF" "$n" > /dev/null 2> "$TMP/rm.err" || { cat "$TMP/rm.err"; fail "rmpeer $n"; }
done
cmp -s "$CONF" "$TMP/original.conf" || { diff -u "$TMP/original.conf" "$CONF"; fail "the file is not as it was"; }
[[ $(in_ns "$S" wg show "$IF" peers | wc -l) == 1 ]] || fail "peers left live after rmpeer"
ls -A "$TMP/etc" | grep -v "^$IF.conf$" && fail "temporary files left in the config directory"
in_ns "$S" "$Q" down "$CONF" > /dev/null 2>&1 || fail "server down"

if [[ $FAILURES -ne 0 ]]; then echo "$FAILURES failure(s)"; exit 1; fi
echo "ok"
