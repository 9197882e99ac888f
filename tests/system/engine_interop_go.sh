#!/usr/bin/env bash
# wgx-engine <-> wireguard-go: handshake and ping both ways, inner IPv4 and IPv6, over outer IPv4
# and then outer IPv6 endpoints.
. "$(dirname "$0")/engine_lib.bash"
make_pair
tunnel_pair wgx go 4

ping_ok "$NSA" 198.51.100.2 || fail "inner IPv4 A->B over outer IPv4"
ping_ok "$NSB" 198.51.100.1 || fail "inner IPv4 B->A over outer IPv4"
ping_ok "$NSA" fd00:2::2 || fail "inner IPv6 A->B over outer IPv4"
ping_ok "$NSB" fd00:2::1 || fail "inner IPv6 B->A over outer IPv4"
[ "$(latest_handshake "$NSA" "$IFA" "$PB")" != 0 ] || fail "wgx-engine reports no handshake"
[ "$(latest_handshake "$NSB" "$IFB" "$PA")" != 0 ] || fail "wireguard-go reports no handshake"
wg_in "$NSA" show "$IFA" endpoints | grep -q "192.0.2.2:51821" || fail "endpoint A"

# Outer IPv6: both sides point at the other's IPv6 address; new handshakes go that way.
wg_in "$NSA" set "$IFA" peer "$PB" endpoint "[fd00:1::2]:51821"
wg_in "$NSB" set "$IFB" peer "$PA" endpoint "[fd00:1::1]:51820"
ping_ok "$NSA" 198.51.100.2 || fail "inner IPv4 A->B over outer IPv6"
ping_ok "$NSB" fd00:2::1 || fail "inner IPv6 B->A over outer IPv6"
ping_ok "$NSA" fd00:2::2 || fail "inner IPv6 A->B over outer IPv6"
ping_ok "$NSB" 198.51.100.1 || fail "inner IPv4 B->A over outer IPv6"
wg_in "$NSB" show "$IFB" endpoints | grep -q "\[fd00:1::1\]:51820" || fail "endpoint B v6"
nsx "$NSB" grep -q "^Udp6InDatagrams" /proc/net/snmp6 || fail "no snmp6"
v6=$(nsx "$NSB" awk '$1 == "Udp6InDatagrams" { print $2 }' /proc/net/snmp6)
[ "$v6" -gt 0 ] || fail "no UDP over IPv6 arrived at wireguard-go"

# A fresh pair over outer IPv6 from the start (first handshake over IPv6).
kill "$PIDA" "$PIDB"; wait "$PIDA" "$PIDB" 2>/dev/null
wait_for 30 test ! -e "/var/run/wireguard/$IFA.sock"
wait_for 30 test ! -e "/var/run/wireguard/$IFB.sock"
tunnel_pair wgx go 6
ping_ok "$NSB" 198.51.100.1 || fail "first handshake over outer IPv6 (B->A)"
ping_ok "$NSA" fd00:2::2 || fail "inner IPv6 A->B, fresh pair over outer IPv6"
echo "PASS"
