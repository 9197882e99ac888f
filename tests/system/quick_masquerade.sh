#!/bin/bash
# Masquerade = auto and Forward = true: a client namespace reaches a third namespace through the
# server, which has no route back to the tunnel's addresses: only the server's NAT makes the
# replies find their way. Without the two keys the same ping fails (the test can fail). down
# removes the one nftables table and puts the forwarding sysctls back; a failing up (Masquerade
# = auto without a default route) leaves nothing.
set -u
QUICK_ARGS=("$@")
. "$(dirname "$0")/quick_private_lib.bash"
quick_private_setup wg ping nft
TMP="$(mktemp -d /tmp/wgx-nat.XXXXXX)"
C="wgx-test-$$-1" S="wgx-test-$$-2" T="wgx-test-$$-3"
NETNS=("$C" "$S" "$T")
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
# client -- 198.51.100.0/24 -- server -- 203.0.113.0/24 -- third (no route to 192.0.2.0/24)
ip link add cs netns "$C" type veth peer name sc netns "$S"
ip link add st netns "$S" type veth peer name ts netns "$T"
ip -n "$C" address add 198.51.100.2/24 dev cs
ip -n "$S" address add 198.51.100.1/24 dev sc
ip -n "$S" address add 203.0.113.1/24 dev st
ip -n "$T" address add 203.0.113.2/24 dev ts
for l in "$C cs" "$S sc" "$S st" "$T ts"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n "$S" route add default via 203.0.113.2 dev st

SK="$(wg genkey)" CK="$(wg genkey)"
IF="wgn$(( $$ % 10000 ))"
CIF="${IF}c" # its own name: /run/wireguard and /run/wgx-quick are shared here
mkdir -m 700 "$TMP/s" "$TMP/c"
write_server() { # write_server EXTRA_INTERFACE_LINES
	cat > "$TMP/s/$IF.conf" <<EOF2
[Interface]
PrivateKey = $SK
ListenPort = 51820
Address = 192.0.2.1/24
$1

[Peer]
PublicKey = $(wg pubkey <<< "$CK")
AllowedIPs = 192.0.2.2/32
EOF2
	chmod 600 "$TMP/s/$IF.conf"
}
cat > "$TMP/c/$CIF.conf" <<EOF2
[Interface]
PrivateKey = $CK
Address = 192.0.2.2/24

[Peer]
PublicKey = $(wg pubkey <<< "$SK")
AllowedIPs = 192.0.2.0/24, 203.0.113.0/24
Endpoint = 198.51.100.1:51820
EOF2
chmod 600 "$TMP/c/$CIF.conf"
in_ns "$S" sysctl -qw net.ipv4.ip_forward=0
sysctls() { in_ns "$S" sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding; }
sysctls > "$TMP/sysctl-before"
in_ns "$S" nft list ruleset > "$TMP/nft-before"

in_ns "$C" "$Q" up "$TMP/c/$CIF.conf" > "$TMP/cup.log" 2>&1 || { cat "$TMP/cup.log"; fail "client up"; }

# 1. Control: without the keys, the third namespace cannot be reached.
write_server ""
in_ns "$S" "$Q" up "$TMP/s/$IF.conf" > "$TMP/sup0.log" 2>&1 || { cat "$TMP/sup0.log"; fail "plain server up"; }
in_ns "$C" ping -c 2 -W 1 192.0.2.1 > /dev/null || fail "no tunnel"
in_ns "$C" ping -c 2 -W 1 203.0.113.2 > /dev/null && fail "the third namespace was reached without NAT"
in_ns "$S" "$Q" down "$TMP/s/$IF.conf" > /dev/null 2>&1 || fail "plain server down"

# 2. With Masquerade = auto and Forward = true.
write_server "Masquerade = auto
Forward = true"
in_ns "$S" "$Q" up "$TMP/s/$IF.conf" > "$TMP/sup.log" 2>&1 || { cat "$TMP/sup.log"; fail "server up with NAT"; }
# The client's session belongs to the server brought down above: start it afresh.
in_ns "$C" "$Q" down "$TMP/c/$CIF.conf" > /dev/null 2>&1
in_ns "$C" "$Q" up "$TMP/c/$CIF.conf" > "$TMP/cup2.log" 2>&1 || { cat "$TMP/cup2.log"; fail "client up again"; }
grep -q "oifname \"st\" masquerade" "$TMP/sup.log" || { cat "$TMP/sup.log"; fail "auto did not follow the default route's interface"; }
[[ $(in_ns "$S" sysctl -n net.ipv4.ip_forward) == 1 ]] || fail "forwarding is not on"
[[ $(in_ns "$S" nft list tables | grep -c wgx) == 1 ]] || fail "not exactly one wgx table"
in_ns "$C" ping -c 3 -i 0.2 -W 2 203.0.113.2 > "$TMP/ping.log" || { cat "$TMP/ping.log"; fail "no NAT path from the client to the third namespace"; [[ -n ${WGX_DEBUG:-} ]] && { in_ns "$S" nft list ruleset; in_ns "$S" ip route; in_ns "$C" ip route; in_ns "$S" wg; in_ns "$S" sysctl net.ipv4.conf.all.forwarding; in_ns "$T" ip route; }; }
in_ns "$S" "$Q" strip "$TMP/s/$IF.conf" | grep -qiE "masquerade|forward" && fail "strip kept wgx-quick's keys"
in_ns "$S" "$Q" down "$TMP/s/$IF.conf" > "$TMP/sdown.log" 2>&1 || { cat "$TMP/sdown.log"; fail "server down"; }
sysctls > "$TMP/sysctl-after"
cmp -s "$TMP/sysctl-before" "$TMP/sysctl-after" || fail "the forwarding sysctls were not restored"
in_ns "$S" nft list ruleset > "$TMP/nft-after"
cmp -s "$TMP/nft-before" "$TMP/nft-after" || { diff "$TMP/nft-before" "$TMP/nft-after"; fail "nftables residue after down"; }

# 3. auto without a default route: one line, everything undone.
in_ns "$S" ip route del default
in_ns "$S" "$Q" up "$TMP/s/$IF.conf" > /dev/null 2> "$TMP/fail.err" && fail "up without a default route succeeded"
grep -q "no IPv4 default route" "$TMP/fail.err" || { cat "$TMP/fail.err"; fail "the failure's message"; }
in_ns "$S" ip link show "$IF" > /dev/null 2>&1 && fail "the interface is left after a failed up"
sysctls > "$TMP/sysctl-failed"
cmp -s "$TMP/sysctl-before" "$TMP/sysctl-failed" || fail "a failed up left the sysctls changed"
in_ns "$S" nft list ruleset > "$TMP/nft-failed"
cmp -s "$TMP/nft-before" "$TMP/nft-failed" || fail "a failed up left nftables rules"
in_ns "$C" "$Q" down "$TMP/c/$CIF.conf" > /dev/null 2>&1

if [[ $FAILURES -ne 0 ]]; then echo "$FAILURES failure(s)"; exit 1; fi
echo "ok"
