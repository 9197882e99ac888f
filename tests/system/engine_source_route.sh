#!/bin/bash
# Replies follow a better route's source address, as the kernel's netns.sh asserts: NS1 has two
# links into NS2 (veth1 and veth3, each with its own address); a route through veth1 with
# src .1 is replaced in preference by one through veth3 with src .3 and a lower metric, and the
# far side's `wg show endpoints` must then name .3. Removing the remembered source address
# moves it back to .1. Over IPv4 and IPv6 outer addresses.
# Usage: engine_source_route.sh [wgx|go] (default wgx; go runs the same checks on wireguard-go).
source "$(dirname "$0")/engine_lib.bash"
IMPL=${1:-wgx}

endpoint_seen() { wg_in "$NS2" show "$IF2" endpoints | awk '{ print $2 }'; }

# expect_endpoint WANT WHAT: pings through the tunnel, then checks what NS2 sees.
expect_endpoint() {
    local want=$1 what=$2 seen
    ping_ok "$NS1" 198.51.100.2 2 || fail "$what: no ping through the tunnel"
    seen=$(endpoint_seen)
    note "$what: far side sees $seen"
    [ "$seen" = "$want" ] || fail "$what: far side sees $seen, expected $want"
}

round() {
    local v=$1 a1 a2 a3 net plen fam
    if [ "$v" = 4 ]; then
        a1=192.0.2.1 a2=192.0.2.2 a3=192.0.2.3 net=192.0.2.0 plen=24 fam=-4
    else
        a1=fd00:1::1 a2=fd00:1::2 a3=fd00:1::3 net=fd00:1:: plen=64 fam=-6
    fi
    make_ns "1-$v" NS1
    make_ns "2-$v" NS2
    for n in "$NS1" "$NS2"; do
        ip netns exec "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    done
    ip link add veth1 netns "$NS1" type veth peer name veth2 netns "$NS2" || fail "veth1"
    ip link add veth3 netns "$NS1" type veth peer name veth4 netns "$NS2" || fail "veth3"
    ip -n "$NS1" addr add "$a1/$plen" dev veth1 nodad 2>/dev/null || ip -n "$NS1" addr add "$a1/$plen" dev veth1
    ip -n "$NS2" addr add "$a2/$plen" dev veth2 nodad 2>/dev/null || ip -n "$NS2" addr add "$a2/$plen" dev veth2
    ip -n "$NS1" addr add "$a3/$plen" dev veth3 nodad 2>/dev/null || ip -n "$NS1" addr add "$a3/$plen" dev veth3
    for l in veth1 veth3; do ip -n "$NS1" link set "$l" up; done
    for l in veth2 veth4; do ip -n "$NS2" link set "$l" up; done
    # NS2 answers whichever of NS1's addresses over veth2 (its only route into that subnet).
    ip -n "$NS1" $fam route flush dev veth1
    ip -n "$NS1" $fam route flush dev veth3
    ip -n "$NS1" $fam route add "$net/$plen" dev veth1 src "$a1" metric 2 || fail "route via veth1"
    if [ "$v" = 6 ]; then
        # Neighbour discovery answers only for addresses of the receiving link, and NS2 reaches
        # all of NS1's addresses over veth2/veth1 while NS1 reaches .2 over veth3/veth4 too: say
        # where those live (IPv4's ARP needs no help, Linux answers for any local address).
        local mac
        mac=$(ip -n "$NS1" -j link show dev veth1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
        ip -n "$NS2" -6 neigh replace "$a3" lladdr "$mac" dev veth2 nud permanent
        mac=$(ip -n "$NS2" -j link show dev veth4 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
        ip -n "$NS1" -6 neigh replace "$a2" lladdr "$mac" dev veth3 nud permanent
        sleep 0.3 # link-local addresses settle (nodad does not cover them)
    fi

    IF1="wgxS1$v$TAG" IF2="wgxS2$v$TAG"
    local k1 k2 p1 p2 e2="$a2:2"
    [ "$v" = 6 ] && e2="[$a2]:2"
    k1=$(genkey); k2=$(genkey); p1=$(pubkey "$k1"); p2=$(pubkey "$k2")
    start_engine "$IMPL" "$NS1" "$IF1"
    start_engine "$IMPL" "$NS2" "$IF2"
    wg_in "$NS1" set "$IF1" private-key "$(keyfile "$k1")" listen-port 1 \
        peer "$p2" endpoint "$e2" allowed-ips 198.51.100.2/32 || fail "wg set $IF1"
    wg_in "$NS2" set "$IF2" private-key "$(keyfile "$k2")" listen-port 2 \
        peer "$p1" allowed-ips 198.51.100.1/32 || fail "wg set $IF2"
    ip -n "$NS1" addr add 198.51.100.1/24 dev "$IF1"
    ip -n "$NS2" addr add 198.51.100.2/24 dev "$IF2"
    ip -n "$NS1" link set "$IF1" up
    ip -n "$NS2" link set "$IF2" up

    local w1="$a1:1" w3="$a3:1"
    [ "$v" = 6 ] && w1="[$a1]:1" w3="[$a3]:1"
    expect_endpoint "$w1" "IPv$v, route via veth1 src $a1"
    ip -n "$NS1" $fam route add "$net/$plen" dev veth3 src "$a3" metric 1 || fail "route via veth3"
    expect_endpoint "$w3" "IPv$v, better route via veth3 src $a3"
    # The remembered source disappears (with the routes that prefer it): sending must fall back
    # to what routing chooses now.
    ip -n "$NS1" addr del "$a3/$plen" dev veth3
    ip -n "$NS1" $fam route del "$net/$plen" dev veth3 2>/dev/null
    expect_endpoint "$w1" "IPv$v, remembered source $a3 removed"
}

round 4
round 6
echo "PASS: source addresses follow routing ($IMPL)"
