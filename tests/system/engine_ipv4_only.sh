#!/usr/bin/env bash
# A namespace with IPv6 disabled: wgx-engine comes up IPv4-only without complaint and carries
# traffic over outer IPv4.
. "$(dirname "$0")/engine_lib.bash"
make_pair
ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$NSA" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
tunnel_pair wgx wgx 4 2>/dev/null
ping_ok "$NSA" 198.51.100.2 || fail "no IPv4 tunnel from the IPv6-less namespace"
ping_ok "$NSB" 198.51.100.1 || fail "no IPv4 tunnel into the IPv6-less namespace"
grep -q "ERROR" "$TMP/$IFA.log" && { cat "$TMP/$IFA.log"; fail "errors logged"; }
ip netns exec "$NSA" ss -Hlun "sport = :51820" | grep -q "0.0.0.0:51820" || fail "no IPv4 socket"
echo "PASS"
