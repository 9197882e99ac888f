#!/usr/bin/env bash
# Persistent keepalive seen on the wire: with an interval of 1 s and no traffic, the other side's
# namespace receives about one UDP datagram per second; without it, none. Setting it on an up
# interface sends a keepalive at once (here: a handshake, since there is no session yet).
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx go 4
sleep 1
quiet=$(udp_in "$NSB"); sleep 2; quiet2=$(udp_in "$NSB")
[ $((quiet2 - quiet)) -le 1 ] || fail "datagrams without keepalive: $((quiet2 - quiet))"

before=$(udp_in "$NSB")
wg_in "$NSA" set "$IFA" peer "$PB" persistent-keepalive 1
wait_for 20 test "$(latest_handshake "$NSB" "$IFB" "$PA")" != 0 ||
    fail "turning keepalive on sent nothing (no handshake at wireguard-go)"
sleep 0.5
mid=$(udp_in "$NSB"); sleep 3.2; after=$(udp_in "$NSB")
n=$((after - mid))
note "keepalive datagrams in 3.2 s: $n"
[ "$n" -ge 2 ] && [ "$n" -le 5 ] || fail "expected about 3 keepalives in 3.2 s, saw $n"
wg_in "$NSA" show "$IFA" persistent-keepalive | grep -q "1$" || fail "interval not reported"

wg_in "$NSA" set "$IFA" peer "$PB" persistent-keepalive 0
sleep 1.2; off=$(udp_in "$NSB"); sleep 2.5; off2=$(udp_in "$NSB")
[ $((off2 - off)) -le 1 ] || fail "keepalives continue after turning them off: $((off2 - off))"
echo "PASS"
