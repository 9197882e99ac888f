#!/usr/bin/env bash
# Hardening issue, item 2: the tunnel's own encrypted packets routed back into the tunnel must
# be damped, not amplified into a loop that saturates a core. The topology of the kernel
# selftest's routing-loop check, with userspace engines (whose UDP sockets live in the
# namespace the engine process runs in, whatever namespace its TUN is moved to):
#
#   ns0: the processes of wg0 (ns1's) and wg0' (ns2's), sockets on ns0's loopback;
#        wg1 (TUN moved here from ns1; its process and socket stay in ns1), 203.0.113.1/24
#   ns1: wg0 198.51.100.1/24 fd00:5::1/64; wg1's process (UDP to [fd00:5::2]:5 via wg0)
#   ns2: wg0' 198.51.100.2/24 fd00:5::2/64; wg1' 203.0.113.2/24 (process in ns2)
#
# After both tunnels carried a ping (sessions live), wg0's peer endpoint is pointed at
# 203.0.113.2:7, which ns0 routes into wg1, whose encrypted packets ns1 routes into wg0, and
# ns2's engines are stopped. A flood ping from ns0 into wg1 then must move less than 70,000
# bytes out of wg1 in about a second (the kernel module: 60,832 in this topology), and both
# engines must still answer UAPI requests. The damping: a WireGuard datagram inside the tunnel
# is never fragmented, so each looping packet grows until wg1's MTU and is dropped (counted).
. "$(dirname "$0")/../system/engine_lib.bash"

make_ns 0 NS0
make_ns 1 NS1
make_ns 2 NS2
W0="wgxL0$TAG"; W0P="wgxL0p$TAG"; W1="wgxL1$TAG"; W1P="wgxL1p$TAG"
K0=$(genkey); K0P=$(genkey); K1=$(genkey); K1P=$(genkey)
P0=$(pubkey "$K0"); P0P=$(pubkey "$K0P"); P1=$(pubkey "$K1"); P1P=$(pubkey "$K1P")

# wg0 and wg0': processes in ns0, TUNs moved to ns1 / ns2.
start_engine wgx "$NS0" "$W0"; PID0=$ENGINE_PID
start_engine wgx "$NS0" "$W0P"; PID0P=$ENGINE_PID
wg_in "$NS0" set "$W0" private-key "$(keyfile "$K0")" listen-port 10001 \
    peer "$P0P" endpoint 127.0.0.1:10002 allowed-ips 198.51.100.2/32,fd00:5::2/128 || fail "set wg0"
wg_in "$NS0" set "$W0P" private-key "$(keyfile "$K0P")" listen-port 10002 \
    peer "$P0" endpoint 127.0.0.1:10001 allowed-ips 198.51.100.1/32,fd00:5::1/128 || fail "set wg0'"
ip -n "$NS0" link set "$W0" netns "$NS1" || fail "move wg0"
ip -n "$NS0" link set "$W0P" netns "$NS2" || fail "move wg0'"
ip -n "$NS1" addr add 198.51.100.1/24 dev "$W0"
ip -n "$NS1" addr add fd00:5::1/64 dev "$W0" nodad
ip -n "$NS2" addr add 198.51.100.2/24 dev "$W0P"
ip -n "$NS2" addr add fd00:5::2/64 dev "$W0P" nodad
ip -n "$NS1" link set "$W0" up
ip -n "$NS2" link set "$W0P" up

# wg1 (process in ns1) and wg1' (process in ns2) talk over wg0.
start_engine wgx "$NS1" "$W1"; PID1=$ENGINE_PID
start_engine wgx "$NS2" "$W1P"; PID1P=$ENGINE_PID
wg_in "$NS1" set "$W1" private-key "$(keyfile "$K1")" listen-port 5 \
    peer "$P1P" endpoint "[fd00:5::2]:5" allowed-ips 203.0.113.2/32 || fail "set wg1"
wg_in "$NS2" set "$W1P" private-key "$(keyfile "$K1P")" listen-port 5 \
    peer "$P1" endpoint "[fd00:5::1]:5" allowed-ips 203.0.113.1/32 || fail "set wg1'"
ip -n "$NS2" addr add 203.0.113.2/24 dev "$W1P"
ip -n "$NS1" link set mtu 1340 dev "$W1"
ip -n "$NS2" link set mtu 1340 up dev "$W1P"

# The loop: wg1 moves into ns0, where wg0's socket lives.
ip -n "$NS1" link set "$W1" netns "$NS0" || fail "move wg1"
ip -n "$NS0" addr add 203.0.113.1/24 dev "$W1"
ip -n "$NS0" link set mtu 1340 up dev "$W1"
wait_for 10 ping_ok "$NS0" 203.0.113.2 1 || fail "no ping through wg1 over wg0 before the loop"

wg_in "$NS1" set "$W0" peer "$P0P" endpoint 203.0.113.2:7 || fail "point wg0's endpoint into wg1"
kill "$PID0P" "$PID1P"
wait "$PID0P" "$PID1P" 2>/dev/null

tx_of_wg1() { wg_in "$NS0" show "$W1" transfer | awk '{ print $3 }'; }
# Fragments the kernel made of the engines' datagrams (a diagnostic for the report).
frags() {
    ip netns exec "$1" awk '/^Ip:/ { if (h) { for (i = 1; i <= NF; i++) if (n[i] == "FragCreates") v4 = $i } else { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } }
        $1 == "Ip6FragCreates" { v6 = $2 } END { print v4 + 0, v6 + 0 }' /proc/net/snmp /proc/net/snmp6
}
before=$(tx_of_wg1)
[ -n "$before" ] || fail "wg1's UAPI does not answer"
ip netns exec "$NS0" timeout 15 ping -W 1 -c 10 -f 203.0.113.2 >/dev/null 2>&1
sleep 1
status=0
start=$(date +%s%N)
after=$(timeout 5 ip netns exec "$NS0" wg show "$W1" transfer | awk '{ print $3 }')
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
note "wg1 sent $((after - before)) bytes during the flood ping (limit 70000); UAPI answered in ${elapsed_ms} ms"
note "IP fragments created (IPv4 IPv6): ns0 $(frags "$NS0"), ns1 $(frags "$NS1")"
if [ -z "$after" ]; then
    note "FAIL: wg1's engine does not answer UAPI after the loop (busy or dead)"
    status=1
elif ((after - before >= 70000)); then
    note "FAIL: routing loop not damped: wg1 sent $((after - before)) bytes"
    status=1
fi
# The damping at work: wg0 dropped the looping datagrams that outgrew wg1's MTU (1340) rather
# than letting the kernel fragment them.
drops=$(uapi_raw "$W0" 'wgx_counters=1\n\n' | grep -o 'nested_too_big=[0-9]*' | cut -d= -f2)
note "wg0 dropped ${drops:-?} WireGuard datagrams too big to send unfragmented"
if [ -z "$drops" ] || ((drops == 0)); then
    note "FAIL: wg0 counted no nested datagram dropped at the MTU"
    status=1
fi
for pair in "$PID0:wg0:$NS1:$W0" "$PID1:wg1:$NS0:$W1"; do
    IFS=: read -r pid name ns ifn <<<"$pair"
    kill -0 "$pid" 2>/dev/null || { note "FAIL: $name's engine died"; status=1; continue; }
    timeout 5 ip netns exec "$ns" wg show "$ifn" >/dev/null || { note "FAIL: $name's engine unresponsive"; status=1; }
done
((status == 0)) && echo "PASS: engine_routing_loop"
exit $status
