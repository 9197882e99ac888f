#!/usr/bin/env bash
# The observe commands on kernel wireguard devices (genetlink), in the VM (tools/vm): two
# network namespaces joined by veth, one kernel device in each, brought up by wgx-quick (which
# records the config, so peers have names). `show --json` (schema and wg's dump), `--names`,
# status, a name where a key goes, `show all --format=prometheus` (promtool), `top --once` with
# non-zero rates during a ping flood, `route` agreeing and disagreeing, and `doctor`: healthy,
# MTU, a handshake that never completes, and packets whose inner source is outside the sending
# peer's allowed IPs, which the kernel counts only in the device's rx_frame_errors.
#
# The JSON schema check and promtool run on the host, on the outputs the VM prints (Python and
# promtool start slowly on its emulated CPU).
#
#   outer (veth):  192.0.2.1 (vA) | 192.0.2.2 (vB)
#   inner (wg):    198.51.100.1, fd00:2::1 (wgka, peer "beta")
#                | 198.51.100.2, fd00:2::2 (wgkb, peer "alpha")
. "$(dirname "$0")/common.bash"

SCHEMA=$SRC/docs/wgx-show.schema.json
PROMTOOL=$(command -v promtool || echo /opt/wgx-tools/bin/promtool)

# json_checks DIR CHECK...: the JSON checks, run on the host (Python with jsonschema takes most
# of a minute to start on the VM's emulated CPU) in DIR, where the files the VM printed are
# put; each check prints a line when it fails:
#   schema:DEF:FILE   FILE validates against docs/wgx-show.schema.json ($defs entry DEF, or
#                     the whole schema when DEF is empty), with python3-jsonschema
#   dump:IF:PEER:NAME DIR/IF.json says what `wg show IF dump` (DIR/IF.dump) says, about the
#                     one peer PEER, named NAME and active
#   list:FILE:WORDS   FILE is the JSON list of the words WORDS (`wg show interfaces`)
json_checks() {
    local dir=$1
    shift
    (cd "$dir" || exit 1
    /usr/bin/python3 - "$SCHEMA" "$@" <<'PY'
import json, sys
import jsonschema
schema_doc = json.load(open(sys.argv[1]))
def schema(definition, path):
    s = schema_doc
    if definition:
        s = {"$schema": s["$schema"], "$defs": s["$defs"], "$ref": "#/$defs/" + definition}
    jsonschema.Draft202012Validator.check_schema(s)
    jsonschema.Draft202012Validator(s).validate(json.load(open(path)))
def dump(ifn, peer, name):
    doc = json.load(open(f"{ifn}.json"))
    rows = [l.split("\t") for l in open(f"{ifn}.dump").read().splitlines()]
    iface = rows[0]
    assert doc["interface"] == ifn, doc
    assert doc["public_key"] == iface[1] and "private_key" not in doc, doc
    assert doc["listen_port"] == int(iface[2]), doc
    assert doc["fwmark"] == (0 if iface[3] == "off" else int(iface[3], 16)), doc
    assert len(doc["peers"]) == len(rows) - 1 == 1, doc
    p, r = doc["peers"][0], rows[1]
    assert p["public_key"] == r[0] == peer, (p, r)
    assert "preshared_key" not in p, p
    assert p["endpoint"] == (None if r[2] == "(none)" else r[2]), (p, r)
    assert ",".join(p["allowed_ips"]) == r[3], (p, r)
    assert abs(p["latest_handshake"] - int(r[4])) <= 2 and p["latest_handshake"] > 0, (p, r)
    assert p["rx_bytes"] == int(r[5]) and p["tx_bytes"] == int(r[6]) and p["rx_bytes"] > 0, (p, r)
    assert p["persistent_keepalive"] == (0 if r[7] == "off" else int(r[7])), (p, r)
    assert p["name"] == name and p["status"] == "active", p
def words(path, expected):
    assert json.load(open(path)) == expected.split(), (open(path).read(), expected)
failed = 0
for item in sys.argv[2:]:
    kind, _, rest = item.partition(":")
    try:
        {"schema": lambda: schema(*rest.split(":", 1)),
         "dump": lambda: dump(*rest.split(":", 2)),
         "list": lambda: words(*rest.split(":", 1))}[kind]()
    except Exception as e:
        failed += 1
        print(f"FAIL: JSON check {item}: {type(e).__name__}: {(str(e).splitlines() or [''])[0]}")
print(f"# {len(sys.argv) - 2 - failed} JSON checks passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
    )
}

if [ "${WGX_IN_VM:-}" != 1 ]; then
    [ -x "$WGX_BIN_DIR/wgx-quick" ] || skip "no wgx-quick in $WGX_BIN_DIR"
    command -v wg >/dev/null || skip "no wg (wireguard-tools)"
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
        skip "no python3-jsonschema for /usr/bin/python3 (tools/bootstrap installs it)"
    KA=$(wg genkey) KB=$(wg genkey) KG=$(wg genkey)
    PA=$(wg pubkey <<<"$KA") PB=$(wg pubkey <<<"$KB")
    wg pubkey <<<"$KG" >"$WGX_KWORK/ghost.pub"
    (
        umask 077
        cat >"$WGX_KWORK/wgka.conf" <<CONF
[Interface]
PrivateKey = $KA
ListenPort = 51820
Address = 198.51.100.1/24, fd00:2::1/64

[Peer]
# Name = beta
PublicKey = $PB
Endpoint = 192.0.2.2:51821
AllowedIPs = 198.51.100.2/32, fd00:2::2/128
CONF
        cat >"$WGX_KWORK/wgkb.conf" <<CONF
[Interface]
PrivateKey = $KB
ListenPort = 51821
Address = 198.51.100.2/24, fd00:2::2/64

[Peer]
#friendly_name = alpha
PublicKey = $PA
Endpoint = 192.0.2.1:51820
AllowedIPs = 198.51.100.1/32, fd00:2::1/128
CONF
    )
    echo "$PA" >"$WGX_KWORK/a.pub"
    echo "$PB" >"$WGX_KWORK/b.pub"
    # The VM's stdout, without the files it hands over (lines "@file NAME BASE64").
    started=$SECONDS
    "$SRC/tools/vm" run --timeout 400 -- bash "$0" | tee "$WGX_KWORK/vm.out" | grep -v '^@file '
    rc=${PIPESTATUS[0]}
    echo "# VM run: $((SECONDS - started)) s, status $rc"
    [ "$rc" = 0 ] || exit "$rc"
    mkdir "$WGX_KWORK/files"
    while read -r _ name data; do
        base64 -d <<<"$data" >"$WGX_KWORK/files/$name"
    done < <(grep '^@file ' "$WGX_KWORK/vm.out")
    json_checks "$WGX_KWORK/files" schema:interface:wgka.json schema:interface:wgkb.json \
        schema::all.json schema::ifs.json dump:wgka:"$PB":beta dump:wgkb:"$PA":alpha \
        "list:ifs.json:$(cat "$WGX_KWORK/files/ifs.wg")" || exit 1
    if [ -x "$PROMTOOL" ]; then
        "$PROMTOOL" check metrics <"$WGX_KWORK/files/all.prom" ||
            { echo "FAIL: promtool check metrics"; cat "$WGX_KWORK/files/all.prom"; exit 1; }
        echo "# promtool check metrics: ok"
    else
        echo "# no promtool (tools/bootstrap extracts it to /opt/wgx-tools/bin): samples checked only"
    fi
    echo PASS
    exit 0
fi

# ---- inside the VM ----
W=$WGX_KWORK
T=$(mktemp -d /tmp/observe-kernel.XXXXXX)
NSA=wgx-test-$$-1 NSB=wgx-test-$$-2
IFA=wgka IFB=wgkb
PA=$(cat "$W/a.pub") PB=$(cat "$W/b.pub") GHOST=$(cat "$W/ghost.pub")
declare -a BG_PIDS=()
mkdir -p /run/wireguard /run/wgx /run/wgx-quick

cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    ip netns exec "$NSA" "$WGX_BIN_DIR/wgx-quick" down "$W/$IFA.conf" >/dev/null 2>&1
    ip netns exec "$NSB" "$WGX_BIN_DIR/wgx-quick" down "$W/$IFB.conf" >/dev/null 2>&1
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSB" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

section() { note "$* (at $SECONDS s)"; }
wgx_in() { local ns=$1; shift; ip netns exec "$ns" "$WGX" "$@"; }
wg_in() { local ns=$1; shift; ip netns exec "$ns" wg "$@"; }
ping_ok() { ip netns exec "$1" ping -n -q -c 2 -i 0.3 -W 2 -w 8 "$2" >/dev/null 2>&1; }
# verdict LABEL: passes or fails LABEL by the status of the command just run.
verdict() { if [ $? = 0 ]; then pass "$1"; else fail "$1"; fi; }
# has LABEL TEXT: $OUT holds TEXT.
has() {
    if grep -qF -- "$2" <<<"$OUT"; then pass "$1"; else fail "$1: no \`$2' in:"; echo "$OUT"; fi
}
# runs NS EXPECTED_RC CMD...: runs wgx CMD in NS, its output in $OUT, its status checked.
runs() {
    local ns=$1 want=$2; shift 2
    OUT=$(wgx_in "$ns" "$@" 2>&1)
    local rc=$?
    if [ "$rc" = "$want" ]; then pass "wgx $*: exit $want"; else
        fail "wgx $*: exit $rc, wanted $want:"; echo "$OUT"
    fi
}
for ns in "$NSA" "$NSB"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip link add vA netns "$NSA" type veth peer name vB netns "$NSB"
ip -n "$NSA" addr add 192.0.2.1/24 dev vA
ip -n "$NSB" addr add 192.0.2.2/24 dev vB
ip -n "$NSA" link set vA up
ip -n "$NSB" link set vB up
# shellcheck disable=SC2086 # (word splitting of $side is wanted)
for side in "$NSA $IFA" "$NSB $IFB"; do
    set -- $side
    ip netns exec "$1" "$WGX_BIN_DIR/wgx-quick" up "$W/$2.conf" >"$T/up-$2.log" 2>&1 ||
        { fail "wgx-quick up $2"; cat "$T/up-$2.log"; }
done
check "kernel devices" [ "$(ip -n "$NSA" -d link show "$IFA" | grep -c wireguard)" = 1 ]
check "tunnel up" ping_ok "$NSA" 198.51.100.2
check "tunnel up, IPv6" ping_ok "$NSB" fd00:2::1

section "show --json, show all --json, show interfaces --json"
# shellcheck disable=SC2086
for side in "$NSA $IFA" "$NSB $IFB"; do
    set -- $side
    wgx_in "$1" show "$2" --json >"$T/$2.json" || fail "wgx show $2 --json"
    wg_in "$1" show "$2" dump >"$T/$2.dump"
done
wgx_in "$NSA" show all --json >"$T/all.json" || fail "show all --json"
wgx_in "$NSA" show interfaces --json >"$T/ifs.json" || fail "show interfaces --json"
WG_HIDE_KEYS=never wgx_in "$NSA" show "$IFA" --json >"$T/keys.json"
check "WG_HIDE_KEYS=never shows the private key" grep -q '"private_key": "[A-Za-z0-9+/]\{43\}="' "$T/keys.json"
wg_in "$NSA" show interfaces >"$T/ifs.wg"
# Checked on the host (json_checks): handed over on stdout.
for f in "$IFA.json" "$IFA.dump" "$IFB.json" "$IFB.dump" all.json ifs.json ifs.wg; do
    echo "@file $f $(base64 -w0 "$T/$f")"
done
# Without the new flags, the bytes wg prints.
# shellcheck disable=SC2086
for args in "show $IFA dump" "show all dump" "show interfaces" "show $IFA peers"; do
    wgx_in "$NSA" $args >"$T/got" 2>&1; wg_in "$NSA" $args >"$T/ref" 2>&1
    same "wgx $args" "$T/ref" "$T/got"
done

section "--names, status, names where keys go"
runs "$NSA" 0 show "$IFA" --names
has "--names (config recorded by wgx-quick)" "peer: $PB (beta)"
runs "$NSB" 0 show "$IFB" --names
has "--names (#friendly_name)" "peer: $PA (alpha)"
runs "$NSB" 0 set "$IFB" peer alpha persistent-keepalive 7
check "set by name applied" [ "$(wg_in "$NSB" show "$IFB" persistent-keepalive)" = "$PA	7" ]
wgx_in "$NSB" set "$IFB" peer nobody remove 2>"$T/wgx.err"; rc_wgx=$?
wg_in "$NSB" set "$IFB" peer nobody remove 2>"$T/wg.err"; rc_wg=$?
[ "$rc_wgx" = "$rc_wg" ] && [ "$rc_wg" != 0 ]; verdict "unknown name: wg's status ($rc_wgx, wg $rc_wg)"
same "unknown name: wg's message" "$T/wg.err" "$T/wgx.err"

section "show all --format=prometheus"
wgx_in "$NSA" show all --format=prometheus >"$T/all.prom" || fail "show all --format=prometheus"
echo "@file all.prom $(base64 -w0 "$T/all.prom")" # promtool runs on the host
# sample METRIC LABELS: the value of one sample.
sample() { awk -v k="$1{$2}" '$1 == k { print $2 }' "$T/all.prom"; }
labels="interface=\"$IFA\",public_key=\"$PB\",name=\"beta\""
for m in wgx_peer_receive_bytes_total wgx_peer_transmit_bytes_total wgx_peer_latest_handshake_seconds; do
    v=$(sample "$m" "$labels")
    [ -n "$v" ] && [ "$v" -gt 0 ]; verdict "$m{$labels} = $v"
done
check "wgx_peer_status active" [ "$(sample wgx_peer_status "$labels,status=\"active\"")" = 1 ]
check "wgx_interface_peers" [ "$(sample wgx_interface_peers "interface=\"$IFA\",status=\"active\"")" = 1 ]

section "top --once during a ping flood"
# Bounded (50000 packets or 30 s), and stopped as soon as top has its sample: on the VM's one
# emulated CPU the flood and top share the time.
ip netns exec "$NSA" ping -f -q -c 50000 -w 30 198.51.100.2 >/dev/null 2>&1 &
FLOOD=$!
BG_PIDS+=("$FLOOD")
sleep 0.5
wgx_in "$NSA" top "$IFA" --once >"$T/top.txt" 2>&1 || fail "top --once"
kill "$FLOOD" 2>/dev/null
wait "$FLOOD"
check "top header" grep -q '^INTERFACE *PEER *ENDPOINT *STATUS *HANDSHAKE *RX/s *TX/s *RX *TX$' "$T/top.txt"
read -r i p e st hs rx tx rxt txt < <(sed -n 2p "$T/top.txt")
[ "$i" = "$IFA" ] && [ "$p" = beta ] && [ "$st" = active ] && [ "$e" = 192.0.2.2:51821 ]
verdict "top row: $(sed -n 2p "$T/top.txt")"
[ "$rx" != 0B/s ] && [ "$tx" != 0B/s ]; verdict "top: non-zero rates during a flood (rx $rx, tx $tx)"
note "during a flood: rx $rx tx $tx (totals $rxt $txt, handshake $hs)"
# The stale threshold: by now the handshake is more than a second old.
runs "$NSA" 0 show "$IFA" --json --stale-after 1
has "--stale-after 1: stale" '"status": "stale"'

section "route"
runs "$NSA" 0 route 198.51.100.2
has "route: the peer" "peer: beta via 198.51.100.2/32 on $IFA"
has "route: the endpoint's route" "endpoint: 192.0.2.2:51821 via dev vA src 192.0.2.1"
has "route: agreement" "198.51.100.2 goes into $IFA and peer beta takes it via 198.51.100.2/32"
runs "$NSB" 0 route "$IFB" fd00:2::1
has "route IPv6: the peer" "peer: alpha via fd00:2::1/128 on $IFB"
wgx_in "$NSA" set "$IFA" peer beta allowed-ips 198.51.100.2/32,fd00:2::2/128,203.0.113.0/24
ip -n "$NSA" route add 203.0.113.0/24 via 192.0.2.2 dev vA
runs "$NSA" 1 route 203.0.113.5
has "route: disagreement" "203.0.113.5 matches peer beta via 203.0.113.0/24, but the kernel routes it via vA, not $IFA"
runs "$NSA" 2 route 203.0.113.5 --mark zz
ip -n "$NSA" route del 203.0.113.0/24 via 192.0.2.2 dev vA
wgx_in "$NSA" set "$IFA" peer beta allowed-ips 198.51.100.2/32,fd00:2::2/128

section "doctor: healthy"
runs "$NSA" 0 doctor "$IFA"
has "doctor: interface ok" "$IFA is up with"
has "doctor: peer ok" "latest handshake"
runs "$NSB" 0 doctor
runs "$NSA" 0 doctor "$IFA" --json
has "doctor --json: exit" '"exit": 0,'
has "doctor --json: a finding" '{"severity": "ok", "interface": "'"$IFA"'", "peer": "beta", "check": "handshake"'

section "doctor: MTU too big for the egress path"
ip -n "$NSA" link set vA mtu 1400
runs "$NSA" 1 doctor "$IFA"
has "doctor: mtu" "warning $IFA peer beta: MTU 1420 is more than the 1340 that fit in 1400 on vA"
ip -n "$NSA" link set vA mtu 1500

section "doctor: a handshake that never completes"
wgx_in "$NSA" set "$IFA" peer "$GHOST" endpoint 192.0.2.2:9 allowed-ips 203.0.113.0/24
ip -n "$NSA" route add 203.0.113.0/24 dev "$IFA"
ip netns exec "$NSA" ping -c 1 -W 1 203.0.113.1 >/dev/null 2>&1
runs "$NSA" 2 doctor "$IFA" --peer "$GHOST"
has "doctor: handshake never" "no handshake ever completed although"
runs "$NSA" 0 doctor "$IFA" --peer beta
wgx_in "$NSA" set "$IFA" peer "$GHOST" remove
ip -n "$NSA" route del 203.0.113.0/24 dev "$IFA"

section "doctor: inner source outside the allowed IPs (rx_frame_errors)"
# B sends from 203.0.113.10, which A does not allow for B: A's kernel drops the packets and
# counts them in the device's rx_frame_errors, not in the peer's rx.
ip -n "$NSB" addr add 203.0.113.10/32 dev lo
frames() { ip netns exec "$NSA" cat "/sys/class/net/$IFA/statistics/rx_frame_errors"; }
rx_of_b() { wg_in "$NSA" show "$IFA" transfer | awk '{ print $2 }'; }
frames_before=$(frames) rx_before=$(rx_of_b)
ip netns exec "$NSB" ping -I 203.0.113.10 -c 30 -i 0.1 -W 1 -w 5 198.51.100.1 >/dev/null 2>&1 &
SPOOF=$!
BG_PIDS+=("$SPOOF")
sleep 0.5
runs "$NSA" 1 doctor "$IFA"
doctor_during=$OUT
wait "$SPOOF"
check "the kernel counted them in rx_frame_errors ($frames_before -> $(frames))" [ "$(frames)" -ge $((frames_before + 20)) ]
check "and not in the peer's rx ($rx_before -> $(rx_of_b))" [ "$(rx_of_b)" -lt $((rx_before + 20 * 84)) ]
OUT=$doctor_during
has "doctor names the kernel's drops" \
    "packets were dropped during the sample because their inner source address is outside the sending peer's allowed IPs (the kernel counts them in $IFA's rx_frame_errors"
[ "$(grep -c "source address is outside" <<<"$OUT")" = 1 ] &&
    grep -qE "^warning +$IFA: [1-9][0-9]* packets were dropped during" <<<"$OUT"
verdict "one source finding, for the device, a warning"
# Afterwards they are history: a note, and the exit status is healthy again.
runs "$NSA" 0 doctor "$IFA"
has "doctor: old drops are a note" "note    $IFA: "
ip -n "$NSB" addr del 203.0.113.10/32 dev lo

finish
