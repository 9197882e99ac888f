#!/bin/bash
# reload: while a client pings the server every 50 ms, the server's file gains a peer (with a
# route) and an address and loses an old peer; `wgx-quick reload` applies exactly that: no ping
# is lost, the client's session keeps its handshake time, the link is never recreated. --dry-run
# prints the plan and changes nothing. A reload that fails half-way (a route that already
# exists elsewhere) is undone completely. Nothing is left after down.
set -u
QUICK_ARGS=("$@")
. "$(dirname "$0")/quick_private_lib.bash"
quick_private_setup wg ping
TMP="$(mktemp -d /tmp/wgx-reload.XXXXXX)"
S="wgx-test-$$-1" C="wgx-test-$$-2"
NETNS=("$S" "$C")
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
ip link add s0 netns "$S" type veth peer name c0 netns "$C"
ip -n "$S" address add 198.51.100.1/24 dev s0
ip -n "$C" address add 198.51.100.2/24 dev c0
ip -n "$S" link set s0 up
ip -n "$C" link set c0 up

SK="$(wg genkey)" CK="$(wg genkey)"
SP="$(wg pubkey <<< "$SK")" CP="$(wg pubkey <<< "$CK")"
OLD="$(wg genkey | wg pubkey)" NEW="$(wg genkey | wg pubkey)"
IF="wgr$(( $$ % 10000 ))"
CIF="${IF}c" # its own name: /run/wireguard and /run/wgx-quick are shared here
mkdir -m 700 "$TMP/s" "$TMP/c"
server_conf() { # server_conf EXTRA_ADDRESS EXTRA_PEERS
	cat <<EOF2
[Interface]
PrivateKey = $SK
ListenPort = 51820
Address = 192.0.2.1/24$1

[Peer]
# the client that keeps pinging
PublicKey = $CP
AllowedIPs = 192.0.2.2/32
$2
EOF2
}
printf '%s' "$(server_conf "" "
[Peer]
PublicKey = $OLD
AllowedIPs = 203.0.113.200/32")" > "$TMP/s/$IF.conf"
cat > "$TMP/c/$CIF.conf" <<EOF2
[Interface]
PrivateKey = $CK
Address = 192.0.2.2/24

[Peer]
PublicKey = $SP
AllowedIPs = 192.0.2.0/24
Endpoint = 198.51.100.1:51820
EOF2
chmod 600 "$TMP/s/$IF.conf" "$TMP/c/$CIF.conf"
in_ns "$S" "$Q" up "$TMP/s/$IF.conf" > "$TMP/sup.log" 2>&1 || { cat "$TMP/sup.log"; fail "server up"; }
in_ns "$C" "$Q" up "$TMP/c/$CIF.conf" > "$TMP/cup.log" 2>&1 || { cat "$TMP/cup.log"; fail "client up"; }
in_ns "$C" ping -c 2 -W 3 192.0.2.1 > /dev/null || fail "no tunnel before the reload"
state() { # everything reload may change, in the server's namespace
	in_ns "$S" wg showconf "$IF" | python3 -c '
import sys
blocks = sys.stdin.read().strip("\n").split("\n\n")
print("\n\n".join(blocks[:1] + sorted(blocks[1:])))'
	in_ns "$S" ip -o address show dev "$IF" | awk '{print $4}'
	in_ns "$S" ip route show dev "$IF"
	in_ns "$S" ip -o link show dev "$IF" | grep -o 'mtu [0-9]*'
}
ifindex="$(in_ns "$S" cat /sys/class/net/$IF/ifindex)"
state > "$TMP/state-before"

# The new file: an address more, a peer more (with a route outside the subnet), one peer less.
printf '%s' "$(server_conf ", 192.0.2.100/32" "
[Peer]
PublicKey = $NEW
AllowedIPs = 203.0.113.0/25")" > "$TMP/s/$IF.conf"

# 1. --dry-run: the plan, and nothing changes.
in_ns "$S" "$Q" reload "$TMP/s/$IF.conf" --dry-run > "$TMP/dry.out" 2> "$TMP/dry.err" || { cat "$TMP/dry.err"; fail "reload --dry-run"; }
for want in "[#] ip -4 address add 192.0.2.100/32 dev $IF" "[#] wg set $IF peer $NEW allowed-ips 203.0.113.0/25" \
	"[#] wg set $IF peer $OLD remove" "[#] ip -4 route add 203.0.113.0/25 dev $IF" \
	"[#] ip -4 route delete 203.0.113.200/32 dev $IF"; do
	grep -qxF -- "$want" "$TMP/dry.err" || { cat "$TMP/dry.err"; fail "dry-run plan lacks: $want"; }
done
grep -q "$CP" "$TMP/dry.err" && fail "the dry-run plan touches the unchanged client peer"
state > "$TMP/state-dry"
cmp -s "$TMP/state-before" "$TMP/state-dry" || { diff "$TMP/state-before" "$TMP/state-dry"; fail "--dry-run changed something"; }

# 2. A reload that fails half-way is undone: the route it needs already exists elsewhere.
in_ns "$S" ip route add 203.0.113.0/25 dev lo
in_ns "$S" "$Q" reload "$TMP/s/$IF.conf" > /dev/null 2> "$TMP/fail.err" && fail "a reload that should fail succeeded"
grep -q "the reload was undone" "$TMP/fail.err" || { cat "$TMP/fail.err"; fail "the failed reload's message"; }
state > "$TMP/state-failed"
cmp -s "$TMP/state-before" "$TMP/state-failed" || { diff "$TMP/state-before" "$TMP/state-failed"; fail "the failed reload left changes"; }
in_ns "$S" ip route del 203.0.113.0/25 dev lo

# 3. The reload under a 50 ms ping: nothing lost, same session.
hs_before="$(in_ns "$S" wg show "$IF" latest-handshakes | awk -v k="$CP" '$1 == k {print $2}')"
in_ns "$C" ping -c 80 -i 0.05 -W 1 192.0.2.1 > "$TMP/ping.log" 2>&1 &
ping_pid=$!
sleep 1
in_ns "$S" "$Q" reload "$TMP/s/$IF.conf" > "$TMP/reload.out" 2> "$TMP/reload.err" || { cat "$TMP/reload.err"; fail "reload"; }
wait "$ping_pid" || true
grep -q " 0% packet loss" "$TMP/ping.log" || { tail -3 "$TMP/ping.log"; fail "pings were lost during the reload"; }
hs_after="$(in_ns "$S" wg show "$IF" latest-handshakes | awk -v k="$CP" '$1 == k {print $2}')"
[[ -n $hs_before && $hs_before == "$hs_after" ]] || fail "the client's handshake time changed ($hs_before -> $hs_after)"
[[ "$(in_ns "$S" cat /sys/class/net/$IF/ifindex)" == "$ifindex" ]] || fail "the link was recreated"
in_ns "$S" wg show "$IF" peers | grep -qx "$NEW" || fail "the new peer is not live"
in_ns "$S" wg show "$IF" peers | grep -qx "$OLD" && fail "the removed peer is still live"
in_ns "$S" ip -o address show dev "$IF" | grep -q "192.0.2.100/32" || fail "the new address is not live"
in_ns "$S" ip route show dev "$IF" | grep -q "^203.0.113.0/25" || fail "the new peer's route is missing"
in_ns "$S" ip route show dev "$IF" | grep -q "^203.0.113.200" && fail "the removed peer's route is still there"
# A second reload finds nothing to do.
in_ns "$S" "$Q" reload "$TMP/s/$IF.conf" --dry-run > /dev/null 2> "$TMP/dry2.err"
[[ ! -s $TMP/dry2.err ]] || { cat "$TMP/dry2.err"; fail "a reload after a reload still plans changes"; }

# 4. Down leaves nothing.
in_ns "$S" "$Q" down "$TMP/s/$IF.conf" > /dev/null 2>&1 || fail "server down"
in_ns "$C" "$Q" down "$TMP/c/$CIF.conf" > /dev/null 2>&1 || fail "client down"
[[ -z "$(in_ns "$S" ip route show | grep -v '198.51.100.0/24')" ]] || fail "routes left after down"
# The engines remove their sockets as they exit: give them up to 2 s.
for i in $(seq 20); do [[ -z "$(ls -A /run/wireguard)" ]] && break; sleep 0.1; done
left="$(ls -A /run/wgx-quick /run/wireguard | grep -v "^/run\|^$")"
[[ -z $left ]] || fail "records or sockets left after down: $left"

if [[ $FAILURES -ne 0 ]]; then echo "$FAILURES failure(s)"; exit 1; fi
echo "ok"
