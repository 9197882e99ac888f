#!/bin/bash
# A device moved into another network namespace works at once (the container pattern, and the
# topology of the kernel's own selftest): both engines run in NS0, where their UDP and UAPI
# sockets stay; their devices are moved into NS1 and NS2, configured with wg over NS0's
# sockets, and talk over NS0's loopback, with IPv4 and then IPv6 outer addresses. Checked: a
# flood ping right after `up`, down and up again, MTU 34736 with iperf3 TCP, and deletion in
# the device's namespace ending the engine and removing its socket within 2 s.
# Usage: engine_moved_device.sh [wgx|go] (default wgx; go runs the same checks on wireguard-go).
source "$(dirname "$0")/engine_lib.bash"
IMPL=${1:-wgx}
command -v iperf3 >/dev/null || skip "no iperf3"

# flood_received NS ADDR: replies to a 10-packet flood ping (bounded: -w 5).
flood_received() {
    ip netns exec "$1" ping -n -q -f -c 10 -w 5 "$2" 2>/dev/null |
        awk '/packets transmitted/ { print $4 }'
}

round() {
    local outer=$1 lo=127.0.0.1 i
    [ "$outer" = 6 ] && lo="[::1]"
    make_ns "0-$outer" NS0
    make_ns "1-$outer" NS1
    make_ns "2-$outer" NS2
    local if1="wgxM1$outer$TAG" if2="wgxM2$outer$TAG"
    local k1 k2 p1 p2
    k1=$(genkey); k2=$(genkey); p1=$(pubkey "$k1"); p2=$(pubkey "$k2")
    start_engine "$IMPL" "$NS0" "$if1"; local pid1=$ENGINE_PID
    start_engine "$IMPL" "$NS0" "$if2"; local pid2=$ENGINE_PID
    ip -n "$NS0" link set "$if1" netns "$NS1" || fail "move $if1"
    ip -n "$NS0" link set "$if2" netns "$NS2" || fail "move $if2"
    wg_in "$NS0" set "$if1" private-key "$(keyfile "$k1")" listen-port 1 \
        peer "$p2" endpoint "$lo:2" allowed-ips 198.51.100.2/32,fd00:2::2/128 || fail "wg set $if1"
    wg_in "$NS0" set "$if2" private-key "$(keyfile "$k2")" listen-port 2 \
        peer "$p1" endpoint "$lo:1" allowed-ips 198.51.100.1/32,fd00:2::1/128 || fail "wg set $if2"
    ip -n "$NS1" addr add 198.51.100.1/24 dev "$if1"
    ip -n "$NS2" addr add 198.51.100.2/24 dev "$if2"
    ip -n "$NS1" addr add fd00:2::1/64 dev "$if1" nodad
    ip -n "$NS2" addr add fd00:2::2/64 dev "$if2" nodad
    ip -n "$NS2" link set "$if2" up
    ip -n "$NS1" link set "$if1" up

    local got
    got=$(flood_received "$NS1" 198.51.100.2)
    note "outer IPv$outer: flood ping right after up: ${got:-0}/10 replies"
    [ "${got:-0}" -ge 8 ] || fail "outer IPv$outer: flood ping right after up got ${got:-0}/10"

    got=$(flood_received "$NS1" fd00:2::2)
    note "outer IPv$outer: flood ping, inner IPv6: ${got:-0}/10 replies"
    [ "${got:-0}" -ge 8 ] || fail "outer IPv$outer: inner IPv6 flood ping got ${got:-0}/10"

    ip -n "$NS1" link set "$if1" down
    ip -n "$NS2" link set "$if2" down
    sleep 1.5 # the engines have seen the links go down (no event reaches NS0 from NS1/NS2)
    ip -n "$NS2" link set "$if2" up
    ip -n "$NS1" link set "$if1" up
    # (IPv6 addresses do not survive a link going down: the inner IPv4 ones do.)
    got=$(flood_received "$NS1" 198.51.100.2)
    note "outer IPv$outer: down, up, flood ping: ${got:-0}/10 replies"
    [ "${got:-0}" -ge 8 ] || fail "outer IPv$outer: after down/up got ${got:-0}/10"

    ip -n "$NS1" link set "$if1" mtu 34736
    ip -n "$NS2" link set "$if2" mtu 34736
    ip netns exec "$NS2" iperf3 -s -1 -B 198.51.100.2 >"$TMP/iperf-s.log" 2>&1 &
    local spid=$!
    CLEAN_PIDS+=("$spid")
    # (The pipe inside sh: wait_for must retry until the listener is there, not just run ss.)
    wait_for 30 sh -c "ip netns exec '$NS2' ss -Hltn 'sport = :5201' | grep -q ." ||
        fail "outer IPv$outer: iperf3 server did not listen"
    ip netns exec "$NS1" timeout 20 iperf3 -c 198.51.100.2 -t 2 -J >"$TMP/iperf.json" 2>&1 ||
        { cat "$TMP/iperf.json"; fail "outer IPv$outer: iperf3 over MTU 34736"; }
    local mbit
    mbit=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' "$TMP/iperf.json") ||
        { cat "$TMP/iperf.json" "$TMP/iperf-s.log"; fail "outer IPv$outer: no iperf3 result at MTU 34736"; }
    note "outer IPv$outer: MTU 34736, iperf3 TCP: $mbit Mbit/s"
    [ "$mbit" -gt 0 ] || fail "outer IPv$outer: nothing moved at MTU 34736"

    ip -n "$NS1" link del "$if1"
    ip -n "$NS2" link del "$if2"
    for i in $(seq 20); do
        kill -0 "$pid1" 2>/dev/null || kill -0 "$pid2" 2>/dev/null || break
        sleep 0.1
    done
    for pid in $pid1 $pid2; do
        kill -0 "$pid" 2>/dev/null && fail "outer IPv$outer: engine $pid still running 2 s after its device was deleted"
    done
    for ifn in "$if1" "$if2"; do
        [ -e "/var/run/wireguard/$ifn.sock" ] && fail "outer IPv$outer: socket of $ifn left behind"
    done
    note "outer IPv$outer: deletion in the device's namespace ended both engines, sockets removed"
}

round 4
round 6
echo "PASS: moved devices ($IMPL)"
