#!/usr/bin/env bash
# wgx-engine <-> the newest wireguard-go (../shared/anchors/, a measuring stick that a checkout
# may not have: skipped without it), both with their offloads on (TUN TSO/GRO, UDP GSO/GRO):
# handshake, ping both ways over outer IPv4 and IPv6, and TCP and UDP through iperf3 in each
# direction, with the bytes the far side received compared with what was sent.
source "$(dirname "$0")/engine_lib.bash"
SOURCE_DIR=${WGX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
NEWEST=${WGX_NEWEST_WIREGUARD_GO:-$SOURCE_DIR/../shared/anchors/wireguard-go-0.0.20250522}
[ -x "$NEWEST" ] || skip "no newest wireguard-go at $NEWEST (set WGX_NEWEST_WIREGUARD_GO)"
command -v iperf3 >/dev/null || skip "no iperf3"

# iperf_run FROM_NS TO_NS TO_ADDR MODE: 2 s of TCP ("tcp") or 1392-byte UDP at 200 Mbit/s
# ("udp"), bounded; prints "sent received" bytes as the receiver counted them.
iperf_run() {
    local from=$1 to=$2 addr=$3 mode=$4 args=(-t 2 -J)
    [ "$mode" = udp ] && args+=(-u -b 200M -l 1392)
    ip netns exec "$to" timeout 20 iperf3 -s -1 -B "$addr" >"$TMP/iperf-s.log" 2>&1 &
    local spid=$!
    CLEAN_PIDS+=("$spid")
    wait_for 30 sh -c "ip netns exec $to ss -ltn 'sport = :5201' | grep -q 5201"
    ip netns exec "$from" timeout 20 iperf3 -c "$addr" "${args[@]}" >"$TMP/iperf.json" 2>"$TMP/iperf.err" ||
        { cat "$TMP/iperf.json" "$TMP/iperf.err"; fail "iperf3 $mode to $addr"; }
    wait "$spid" 2>/dev/null
    python3 - "$TMP/iperf.json" "$mode" <<'PY'
import json, sys
try:
    end = json.load(open(sys.argv[1]))["end"]
except (ValueError, KeyError) as e:
    sys.exit(f"iperf3 gave no result ({e}): {open(sys.argv[1]).read()[:400]!r}")
if sys.argv[2] == "tcp":
    print(end["sum_sent"]["bytes"], end["sum_received"]["bytes"])
else:
    s = end["sum"]
    print(s["packets"], s["packets"] - s["lost_packets"])
PY
}

# check_traffic OUTER: pings and iperf3 both ways through the tunnel.
check_traffic() {
    local outer=$1 dir from to addr label sent received packets delivered
    ping_ok "$NSA" 198.51.100.2 || fail "outer IPv$outer: inner IPv4 wgx -> newest"
    ping_ok "$NSB" 198.51.100.1 || fail "outer IPv$outer: inner IPv4 newest -> wgx"
    ping_ok "$NSA" fd00:2::2 || fail "outer IPv$outer: inner IPv6 wgx -> newest"
    ping_ok "$NSB" fd00:2::1 || fail "outer IPv$outer: inner IPv6 newest -> wgx"
    for dir in "$NSA $NSB 198.51.100.2 wgx->newest" "$NSB $NSA 198.51.100.1 newest->wgx"; do
        read -r from to addr label <<<"$dir"
        read -r sent received < <(iperf_run "$from" "$to" "$addr" tcp)
        note "outer IPv$outer, TCP $label: $received of $sent bytes"
        { [ "${received:-0}" -gt 1000000 ] && [ "$received" -le "$sent" ]; } ||
            fail "outer IPv$outer, TCP $label: received ${received:-?} of ${sent:-?}"
        read -r packets delivered < <(iperf_run "$from" "$to" "$addr" udp)
        note "outer IPv$outer, UDP 1392 B $label: $delivered of $packets datagrams delivered"
        [ "${delivered:-0}" -gt 0 ] || fail "outer IPv$outer, UDP $label: nothing delivered"
    done
}

make_pair
tunnel_pair wgx "$NEWEST" 4
check_traffic 4
[ "$(latest_handshake "$NSA" "$IFA" "$PB")" != 0 ] || fail "wgx-engine reports no handshake"
[ "$(latest_handshake "$NSB" "$IFB" "$PA")" != 0 ] || fail "the newest wireguard-go reports no handshake"
# Outer IPv6: both sides point at the other's IPv6 address.
wg_in "$NSA" set "$IFA" peer "$PB" endpoint "[fd00:1::2]:51821"
wg_in "$NSB" set "$IFB" peer "$PA" endpoint "[fd00:1::1]:51820"
check_traffic 6
wg_in "$NSB" show "$IFB" endpoints | grep -q "\[fd00:1::1\]:51820" || fail "the newest did not see wgx over IPv6"
echo "PASS: engine_interop_newest_go"
