#!/usr/bin/env bash
# Cryptokey routing on receive: a decrypted packet whose inner source is not among the sending
# peer's allowed IPs is dropped (the TUN device never sees it), while allowed sources pass.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx go 4
# B (wireguard-go) may send from 203.0.113.9 too: A's allowed IPs for B do not include it.
ip -n "$NSB" addr add 203.0.113.9/32 dev "$IFB"
wg_in "$NSB" set "$IFB" peer "$PA" allowed-ips 198.51.100.1/32,fd00:2::1/128,203.0.113.0/24
ip -n "$NSA" route add 203.0.113.0/24 dev "$IFA"
ping_ok "$NSB" 198.51.100.1 || fail "allowed source does not pass"
sleep 0.3
rx0=$(rx_packets "$NSA" "$IFA")
udp0=$(udp_in "$NSA")
ip netns exec "$NSB" ping -n -q -c 3 -i 0.2 -W 1 -I 203.0.113.9 198.51.100.1 >/dev/null 2>&1 &&
    fail "a packet from a source outside the allowed IPs was answered"
rx1=$(rx_packets "$NSA" "$IFA")
udp1=$(udp_in "$NSA")
[ $((udp1 - udp0)) -ge 3 ] || fail "the packets did not reach wgx-engine at all (test broken)"
[ "$rx1" = "$rx0" ] || fail "wgx-engine wrote $((rx1 - rx0)) disallowed packets to its TUN"
ping_ok "$NSB" 198.51.100.1 || fail "allowed source stopped working"
echo "PASS"
