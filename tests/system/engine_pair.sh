#!/usr/bin/env bash
# wgx-engine <-> wgx-engine: handshake and ping both ways, inner IPv4 and IPv6, over outer IPv4
# and outer IPv6 endpoints; both report the handshake and the traffic.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx wgx 4

ping_ok "$NSA" 198.51.100.2 || fail "inner IPv4 A->B over outer IPv4"
ping_ok "$NSB" 198.51.100.1 || fail "inner IPv4 B->A over outer IPv4"
ping_ok "$NSA" fd00:2::2 || fail "inner IPv6 A->B over outer IPv4"
ping_ok "$NSB" fd00:2::1 || fail "inner IPv6 B->A over outer IPv4"
[ "$(latest_handshake "$NSA" "$IFA" "$PB")" != 0 ] || fail "A reports no handshake"
[ "$(latest_handshake "$NSB" "$IFB" "$PA")" != 0 ] || fail "B reports no handshake"
read -r _ rx tx < <(wg_in "$NSA" show "$IFA" transfer)
[ "$rx" -gt 0 ] && [ "$tx" -gt 0 ] || fail "A's transfer counters: rx=$rx tx=$tx"

wg_in "$NSA" set "$IFA" peer "$PB" endpoint "[fd00:1::2]:51821"
wg_in "$NSB" set "$IFB" peer "$PA" endpoint "[fd00:1::1]:51820"
v6_before=$(nsx "$NSB" awk '$1 == "Udp6InDatagrams" { print $2 }' /proc/net/snmp6)
ping_ok "$NSA" 198.51.100.2 || fail "inner IPv4 A->B over outer IPv6"
ping_ok "$NSB" fd00:2::1 || fail "inner IPv6 B->A over outer IPv6"
v6_after=$(nsx "$NSB" awk '$1 == "Udp6InDatagrams" { print $2 }' /proc/net/snmp6)
[ "$v6_after" -gt "$v6_before" ] || fail "no datagrams over outer IPv6"
wg_in "$NSA" show "$IFA" endpoints | grep -q "\[fd00:1::2\]:51821" || fail "endpoint A v6"
echo "PASS"
