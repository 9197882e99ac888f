#!/usr/bin/env bash
# The reference wg-quick brings wgx-engine up and down as its userspace implementation:
# WG_QUICK_USERSPACE_IMPLEMENTATION=wgx-engine wg-quick up CONF / down CONF, with a peer
# (wireguard-go) on the other side of the veth.
. "$(dirname "$0")/engine_lib.bash"
command -v wg-quick >/dev/null || skip "no wg-quick"
make_pair
IFQ="wgxQ$TAG"; IFB="wgxB$TAG"
CLEAN_IFS+=("$IFQ")
KQ=$(genkey); KB=$(genkey); PQ=$(pubkey "$KQ"); PB=$(pubkey "$KB")
start_engine go "$NSB" "$IFB"
wg_in "$NSB" set "$IFB" private-key "$(keyfile "$KB")" listen-port 51821 \
    peer "$PQ" allowed-ips 198.51.100.1/32
ip -n "$NSB" addr add 198.51.100.2/24 dev "$IFB"
ip -n "$NSB" link set "$IFB" up

mkdir -p "$TMP/conf"
CONF="$TMP/conf/$IFQ.conf"
cat >"$CONF" <<CONF
[Interface]
PrivateKey = $KQ
ListenPort = 51820
Address = 198.51.100.1/24
MTU = 1400

[Peer]
PublicKey = $PB
Endpoint = 192.0.2.2:51821
AllowedIPs = 198.51.100.2/32
PersistentKeepalive = 25
CONF
chmod 600 "$CONF"

export WG_QUICK_USERSPACE_IMPLEMENTATION="$ENGINE"
ip netns exec "$NSA" wg-quick up "$CONF" >"$TMP/up.log" 2>&1 || { cat "$TMP/up.log"; fail "wg-quick up"; }
grep -q "\[#\] $ENGINE $IFQ" "$TMP/up.log" || { cat "$TMP/up.log"; fail "wg-quick did not use wgx-engine"; }
[ -S "/var/run/wireguard/$IFQ.sock" ] || fail "no socket after wg-quick up"
ip -n "$NSA" link show "$IFQ" | grep -q "mtu 1400" || fail "MTU from the config not set"
ping_ok "$NSA" 198.51.100.2 || fail "ping through the wg-quick interface"
ping_ok "$NSB" 198.51.100.1 || fail "ping back"
wg_in "$NSA" showconf "$IFQ" | grep -q "PersistentKeepalive = 25" || fail "showconf"

ip netns exec "$NSA" wg-quick down "$CONF" >"$TMP/down.log" 2>&1 || { cat "$TMP/down.log"; fail "wg-quick down"; }
wait_for 30 test ! -e "/var/run/wireguard/$IFQ.sock" || fail "socket left after wg-quick down"
ip -n "$NSA" link show "$IFQ" >/dev/null 2>&1 && fail "interface left after wg-quick down"
echo "PASS"
