#!/usr/bin/env bash
# Large packets still cross a tunnel whose outer path MTU (the veth, 1300) is smaller than the
# interface MTU plus the 80 bytes of encapsulation: the engine lets the kernel fragment its
# datagrams over outer IPv4 and outer IPv6, as the kernel module and wireguard-go do. Guards
# the routing-loop damping (a WireGuard datagram inside the tunnel is never fragmented) against
# taking ordinary traffic with it.
. "$(dirname "$0")/engine_lib.bash"

make_pair
ip -n "$NSA" link set vA mtu 1300
ip -n "$NSB" link set vB mtu 1300
tunnel_pair wgx wgx 4

frags() { # NS: IP fragments created there so far, IPv4 + IPv6
    ip netns exec "$1" awk '/^Ip:/ { if (h) { for (i = 1; i <= NF; i++) if (n[i] == "FragCreates") v = $i } else { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } }
        $1 == "Ip6FragCreates" { v6 = $2 } END { print v + v6 }' /proc/net/snmp /proc/net/snmp6
}
big_ping() { ip netns exec "$NSA" ping -n -q -c 2 -i 0.2 -W 2 -w 8 -s "$2" "$1" >/dev/null 2>&1; }
big_pings() { # OUTER: inner IPv4 and IPv6 pings whose datagrams exceed the outer MTU
    local size before
    wait_for 50 ping_ok "$NSA" 198.51.100.2 1 || fail "no small ping over outer IPv$1"
    for size in 1392 3000; do
        before=$(frags "$NSA")
        big_ping 198.51.100.2 "$size" || fail "inner IPv4 ping -s $size over outer IPv$1"
        big_ping fd00:2::2 "$size" || fail "inner IPv6 ping -s $size over outer IPv$1"
        (($(frags "$NSA") > before)) || fail "no fragments created for -s $size over outer IPv$1"
    done
    note "outer IPv$1: pings of 1392 and 3000 bytes crossed the 1300-byte path, fragmented"
}

big_pings 4
wg_in "$NSA" set "$IFA" peer "$PB" endpoint "[fd00:1::2]:51821" || fail "endpoint to IPv6"
wg_in "$NSB" set "$IFB" peer "$PA" endpoint "[fd00:1::1]:51820" || fail "endpoint to IPv6"
big_pings 6
echo "PASS: engine_small_path_mtu"
