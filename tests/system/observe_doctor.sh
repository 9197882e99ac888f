#!/usr/bin/env bash
# wgx doctor: a healthy tunnel exits 0 (wgx-engine and wireguard-go); each broken situation is
# built in the namespaces and the finding, its severity and the exit code are asserted (and
# `wgx route` explains the routing ones).
source "$(dirname "$0")/observe_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"

make_pair
tunnel_pair wgx go
printf '[Peer]\n# Name = beta\nPublicKey = %s\n\n[Peer]\n# Name = ghost\nPublicKey = %s\n' \
    "$PB" "$(genkey | wg pubkey)" >"/etc/wireguard/$IFA.conf"
GHOST=$(sed -n 's/^PublicKey = //p' "/etc/wireguard/$IFA.conf" | tail -1)
ping_ok "$NSA" 198.51.100.2 || fail "no tunnel"

# restore_a: A's tunnel addresses (a link going down, or IPv6 being disabled, drops them).
restore_a() {
    ip -n "$NSA" addr replace 198.51.100.1/24 dev "$IFA"
    ip -n "$NSA" addr replace fd00:2::1/64 dev "$IFA" nodad
    ip -n "$NSA" addr replace fd00:1::1/64 dev vA nodad
}

# doctor_is NS EXPECTED_RC ARGS...: runs wgx doctor, keeps its output in $OUT.
doctor_is() {
    local ns=$1 want=$2; shift 2
    OUT=$(wgx_in "$ns" doctor "$@" 2>&1); local rc=$?
    [ "$rc" = "$want" ] || fail "wgx doctor $*: exit $rc, wanted $want:
$OUT"
}
# finding SEVERITY PEER TEXT: a line "SEVERITY IF[ peer PEER]: ...TEXT..." of $OUT.
finding() {
    local who="$IFA"; [ -n "$2" ] && who="$IFA peer $2"
    grep -E "^$1 +$who: " <<<"$OUT" | grep -qF -- "$3" || fail "no $1 \`$3' for $who in:
$OUT"
}

# 0. Healthy on both engines.
doctor_is "$NSA" 0 "$IFA"
finding ok "" "$IFA is up"
finding ok beta "latest handshake"
doctor_is "$NSB" 0 "$IFB"
doctor_is "$NSA" 0
doctor_is "$NSA" 0 "$IFA" --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["exit"] == 0 and d["findings"], d' "$OUT" ||
    fail "--json: $OUT"
note "healthy: exit 0"

# 1. Interface down; missing interface.
ip -n "$NSA" link set "$IFA" down
doctor_is "$NSA" 2 "$IFA"
finding problem "" "$IFA is down"
ip -n "$NSA" link set "$IFA" up
restore_a
doctor_is "$NSA" 2 nosuchif0
grep -q "^problem  *nosuchif0: there is no WireGuard interface nosuchif0; fix: wgx-quick up nosuchif0" <<<"$OUT" ||
    fail "missing interface: $OUT"
note "down, missing"

# 2. MTU too big for the egress path.
ip -n "$NSA" link set vA mtu 1400
doctor_is "$NSA" 1 "$IFA"
finding warning beta "MTU 1420 is more than the 1340 that fit in 1400 on vA"
ip -n "$NSA" link set vA mtu 1500
note "mtu"

# 3. No address (and so no route for the allowed IPs), explained by wgx route too.
ip -n "$NSA" addr flush dev "$IFA"
doctor_is "$NSA" 1 "$IFA"
finding warning "" "$IFA has no address"
finding warning beta "198.51.100.2/32 is allowed, but the kernel routes it via nowhere"
OUT=$(wgx_in "$NSA" route 198.51.100.2); [ $? = 1 ] || fail "route with no route: $OUT"
grep -qF "198.51.100.2 matches peer beta via 198.51.100.2/32, but the kernel routes it via nowhere (no route), not $IFA" <<<"$OUT" ||
    fail "route: $OUT"
restore_a
note "no address, allowed IPs without a route"

# 4. Handshake never completes while packets are sent (the peer does not exist).
wg_in "$NSA" set "$IFA" peer "$GHOST" endpoint 192.0.2.2:9 allowed-ips 203.0.113.0/24
ip -n "$NSA" route add 203.0.113.0/24 dev "$IFA"
ip netns exec "$NSA" ping -c 2 -i 0.2 -W 1 203.0.113.1 >/dev/null 2>&1
doctor_is "$NSA" 2 "$IFA" --peer ghost
finding problem ghost "no handshake ever completed although"
finding problem ghost "wrong public key"
doctor_is "$NSA" 0 "$IFA" --peer beta
doctor_is "$NSA" 2 "$IFA" --peer nobody
grep -qx "Key is not the correct length or format: \`nobody'" <<<"$OUT" || fail "unknown --peer: $OUT"
wg_in "$NSA" set "$IFA" peer "$GHOST" remove
ip -n "$NSA" route del 203.0.113.0/24 dev "$IFA"
note "handshake never completed"

# 5. Endpoint routed into the tunnel itself.
ip -n "$NSA" route add 192.0.2.2/32 dev "$IFA"
doctor_is "$NSA" 2 "$IFA"
finding problem beta "the endpoint 192.0.2.2:51821 is routed into $IFA itself"
ip -n "$NSA" route del 192.0.2.2/32 dev "$IFA"

# 6. Full tunnel without policy rules; then with wg-quick's rules; then the IPv6 leak.
wg_in "$NSA" set "$IFA" peer "$PB" allowed-ips 0.0.0.0/0,fd00:2::2/128
doctor_is "$NSA" 1 "$IFA"
finding warning beta "0.0.0.0/0 is allowed, but without policy rules the kernel still routes the internet via nowhere"
OUT=$(wgx_in "$NSA" route 198.18.0.1); [ $? = 1 ] || fail "route of a full tunnel without rules: $OUT"
wg_in "$NSA" set "$IFA" fwmark 51820
ip -n "$NSA" route add default dev "$IFA" table 51820
ip -n "$NSA" rule add not fwmark 51820 table 51820
ip -n "$NSA" rule add table main suppress_prefixlength 0
doctor_is "$NSA" 0 "$IFA"
OUT=$(wgx_in "$NSA" route 198.18.0.1); [ $? = 0 ] || fail "route of a full tunnel: $OUT"
grep -qF "not from all fwmark 0xca6c lookup 51820   <- this packet" <<<"$OUT" || fail "route rules: $OUT"
ip -n "$NSA" -6 route add default via fd00:1::2 dev vA
doctor_is "$NSA" 1 "$IFA"
finding warning "" "IPv4 goes through the tunnel, but IPv6 still leaves via vA"
ip -n "$NSA" -6 route del default via fd00:1::2 dev vA
note "full tunnel without rules, with rules, IPv6 leak"

# 7. Forwarding off while a peer routes a subnet; IPv6 disabled while peers have IPv6.
wg_in "$NSA" set "$IFA" peer "$PB" allowed-ips 198.51.100.2/32,fd00:2::2/128,10.9.0.0/16
ip -n "$NSA" route add 10.9.0.0/16 dev "$IFA"
ip netns exec "$NSA" sysctl -qw net.ipv4.ip_forward=0
doctor_is "$NSA" 1 "$IFA"
finding warning "" "net.ipv4.ip_forward is 0"
ip netns exec "$NSA" sysctl -qw net.ipv4.ip_forward=1
doctor_is "$NSA" 0 "$IFA"
ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
doctor_is "$NSA" 1 "$IFA"
finding warning "" "IPv6 is disabled on this host, but peers have IPv6 allowed IPs"
ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=0
ip netns exec "$NSA" sysctl -qw "net.ipv6.conf.$IFA.disable_ipv6=0" net.ipv6.conf.vA.disable_ipv6=0
restore_a
note "forwarding, IPv6 disabled"

# 8. Inner source outside the allowed IPs: wireguard-go counts such packets in the peer's rx
# but does not deliver them; A sends from 203.0.113.9, which B does not allow for A.
ip -n "$NSA" addr add 203.0.113.9/32 dev lo
ip netns exec "$NSA" ping -I 203.0.113.9 -c 40 -i 0.05 -W 1 -w 4 198.51.100.2 >/dev/null 2>&1 &
SPOOF_PID=$!
CLEAN_PIDS+=("$SPOOF_PID")
sleep 0.3
OUT=$(wgx_in "$NSB" doctor "$IFB" 2>&1); rc=$?
wait "$SPOOF_PID"
[ "$rc" = 1 ] || fail "doctor on wireguard-go during spoofed traffic: exit $rc: $OUT"
grep -F "warning $IFB peer $PA: " <<<"$OUT" | grep -qF "outside the peer's allowed IPs" ||
    fail "source-not-allowed: $OUT"
note "inner source outside the allowed IPs (wireguard-go)"
# wgx-engine does not count such packets in the peer's rx; it counts them per peer and answers
# wgx's own counters request. B sends from 203.0.113.10, which A does not allow for B.
ip -n "$NSB" addr add 203.0.113.10/32 dev lo
ip netns exec "$NSB" ping -I 203.0.113.10 -c 40 -i 0.05 -W 1 -w 4 198.51.100.1 >/dev/null 2>&1 &
SPOOF_PID=$!
CLEAN_PIDS+=("$SPOOF_PID")
sleep 0.3
OUT=$(wgx_in "$NSA" doctor "$IFA" 2>&1); rc=$?
wait "$SPOOF_PID"
[ "$rc" = 1 ] || fail "doctor on wgx-engine during spoofed traffic: exit $rc: $OUT"
# Counted per peer by the engine: the finding names the peer that sent them (by its name).
grep -qE "^warning +$IFA peer beta: [1-9][0-9]* packets from this peer were dropped during the sample because their inner source address is outside its allowed IPs" <<<"$OUT" ||
    fail "source-not-allowed on wgx-engine does not name peer beta: $OUT"
[ "$(grep -c "source address is outside" <<<"$OUT")" = 1 ] || fail "source-not-allowed twice: $OUT"
note "inner source outside the allowed IPs (wgx-engine's per-peer counter names beta)"

# 9. Stale while sending: B goes away, A keeps sending (--stale-after 1 instead of 180 s).
kill "$PIDB"; wait "$PIDB" 2>/dev/null
sleep 1.5
ip netns exec "$NSA" ping -c 20 -i 0.1 -W 1 -w 3 198.51.100.2 >/dev/null 2>&1 &
PING_PID=$!
CLEAN_PIDS+=("$PING_PID")
sleep 0.2
doctor_is "$NSA" 2 "$IFA" --stale-after 1
wait "$PING_PID"
finding problem beta "while data is being sent without an answer"
finding problem beta "behind NAT without persistent keepalive"
doctor_is "$NSA" 0 "$IFA" --stale-after 1000
note "stale while sending"
echo "PASS"
