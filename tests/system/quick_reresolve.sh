#!/bin/bash
# Endpoint re-resolution: a client whose Endpoint is a host name (from a hosts file bind-mounted
# in a private mount namespace) keeps it in a runtime file at up; after the name moves to
# another address of the server, `wgx reresolve IF` moves the peer there (and the tunnel keeps
# working once the old address drops its packets); --if-stale leaves a peer with a fresh handshake alone;
# down removes the runtime file.
# (The server keeps both addresses; the old one drops tunnel packets instead of going away, so
# the test does not depend on which source address the server's engine answers from.)
set -u
QUICK_ARGS=("$@")
. "$(dirname "$0")/quick_private_lib.bash"
quick_private_setup wg ping
TMP="$(mktemp -d /tmp/wgx-reresolve.XXXXXX)"
printf '127.0.0.1 localhost\n198.51.100.1 vpn.example.test\n' > "$TMP/hosts"
mount --bind "$TMP/hosts" /etc/hosts

X="$WGX_BIN_DIR/wgx"
S="wgx-test-$$-1" C="wgx-test-$$-2"
NETNS=("$S" "$C")
cleanup() {
	local ns p
	for ns in "${NETNS[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	umount /etc/hosts 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
FAILURES=0
fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
in_ns() { local ns="$1"; shift; timeout 30 ip netns exec "$ns" "$@"; }

for ns in "${NETNS[@]}"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add sc netns "$S" type veth peer name cs netns "$C"
ip -n "$S" address add 198.51.100.1/24 dev sc
ip -n "$S" address add 198.51.100.5/24 dev sc
ip -n "$C" address add 198.51.100.2/24 dev cs
ip -n "$S" link set sc up
ip -n "$C" link set cs up

SK="$(wg genkey)" CK="$(wg genkey)"
IF="wgd$(( $$ % 10000 ))"
CIF="${IF}c" # its own name: /run/wireguard and /run/wgx-quick are shared here
mkdir -m 700 "$TMP/s" "$TMP/c"
cat > "$TMP/s/$IF.conf" <<EOF2
[Interface]
PrivateKey = $SK
ListenPort = 51820
Address = 192.0.2.1/24

[Peer]
PublicKey = $(wg pubkey <<< "$CK")
AllowedIPs = 192.0.2.2/32
EOF2
cat > "$TMP/c/$CIF.conf" <<EOF2
[Interface]
PrivateKey = $CK
Address = 192.0.2.2/24

[Peer]
PublicKey = $(wg pubkey <<< "$SK")
AllowedIPs = 192.0.2.0/24
Endpoint = vpn.example.test:51820
EOF2
chmod 600 "$TMP/s/$IF.conf" "$TMP/c/$CIF.conf"
in_ns "$S" "$Q" up "$TMP/s/$IF.conf" > "$TMP/s.log" 2>&1 || { cat "$TMP/s.log"; fail "server up"; }
in_ns "$C" "$Q" up "$TMP/c/$CIF.conf" > "$TMP/c.log" 2>&1 || { cat "$TMP/c.log"; fail "client up"; }
in_ns "$C" ping -c 2 -W 2 192.0.2.1 > /dev/null || fail "no tunnel at first"
endpoint() { in_ns "$C" wg show "$CIF" endpoints | awk '{print $2}'; }
[[ $(endpoint) == 198.51.100.1:51820 ]] || fail "the first endpoint is $(endpoint)"
grep -qx "Endpoint = $(wg pubkey <<< "$SK") vpn.example.test:51820" "/run/wgx-quick/$CIF.runtime" ||
	{ cat "/run/wgx-quick/$CIF.runtime"; fail "the runtime file does not name the host"; }
grep -qx "ConfigPath = $TMP/c/$CIF.conf" "/run/wgx-quick/$CIF.runtime" ||
	fail "the runtime file does not name the config"
# The host name beside the address only with --names: the default output stays wg's.
in_ns "$C" "$X" show "$CIF" --names | grep -qx "  endpoint: 198.51.100.1:51820 (vpn.example.test)" ||
	{ in_ns "$C" "$X" show "$CIF" --names; fail "show --names does not print the host name"; }
in_ns "$C" "$X" show "$CIF" | grep -q "vpn.example.test" && fail "show without --names names the host"

# The name moves (edited in place: a rename onto the mount point would fail).
printf '127.0.0.1 localhost\n198.51.100.5 vpn.example.test\n' > /etc/hosts
in_ns "$C" "$X" reresolve "$CIF" --if-stale 3600 > "$TMP/stale.out" 2>&1 || { cat "$TMP/stale.out"; fail "reresolve --if-stale"; }
[[ $(endpoint) == 198.51.100.1:51820 ]] || fail "--if-stale moved a peer with a fresh handshake"
[[ ! -s $TMP/stale.out ]] || { cat "$TMP/stale.out"; fail "--if-stale reported a change"; }
in_ns "$C" "$X" reresolve "$CIF" > "$TMP/re.out" 2>&1 || { cat "$TMP/re.out"; fail "reresolve"; }
[[ $(endpoint) == 198.51.100.5:51820 ]] || fail "reresolve did not follow the name ($(endpoint))"
grep -q "198.51.100.1:51820 -> 198.51.100.5:51820 (vpn.example.test:51820)" "$TMP/re.out" || { cat "$TMP/re.out"; fail "the change was not reported"; }
# Without arguments it finds every interface with names; nothing changes again.
in_ns "$C" "$X" reresolve > "$TMP/again.out" 2>&1 || fail "reresolve (all)"
[[ ! -s $TMP/again.out ]] || { cat "$TMP/again.out"; fail "a second reresolve changed something"; }
# The old address stops taking tunnel packets: the pings below only work through the new one.
in_ns "$S" nft -f - <<'NFT'
table ip wgx_test_old_address {
	chain input {
		type filter hook input priority 0;
		ip daddr 198.51.100.1 udp dport 51820 drop
	}
}
NFT
in_ns "$C" ping -c 6 -i 0.5 -W 2 192.0.2.1 > "$TMP/ping-new.log" || { cat "$TMP/ping-new.log"; in_ns "$S" wg show all endpoints; fail "no tunnel through the new address"; }
in_ns "$C" "$Q" down "$TMP/c/$CIF.conf" > /dev/null 2>&1 || fail "client down"
[[ ! -e /run/wgx-quick/$CIF.runtime ]] || fail "the runtime file is left after down"
in_ns "$S" "$Q" down "$TMP/s/$IF.conf" > /dev/null 2>&1 || fail "server down"

if [[ $FAILURES -ne 0 ]]; then echo "$FAILURES failure(s)"; exit 1; fi
echo "ok"
