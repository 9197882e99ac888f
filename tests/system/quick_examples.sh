#!/bin/bash
# The example configs the demo uses: two namespaces joined by a veth pair, each side brought
# up by `wgx-quick up examples/wgx-demo-{a,b}.conf` (wireguard-go as the engine), pings across
# the tunnel over IPv4 and IPv6, then `down` on both sides leaves no interface behind.
source "$(dirname "$0")/quick_lib.bash"
quick_init
command -v ping >/dev/null || { echo "skipped: ping not installed"; exit 77; }

nsa="wgx-quick-$$-a" nsb="wgx-quick-$$-b"
QUICK_NETNS+=("$nsa" "$nsb")
ip netns add "$nsa"
ip netns add "$nsb"
ip -n "$nsa" link add veth0 type veth peer name veth0 netns "$nsb"
ip -n "$nsa" link set lo up
ip -n "$nsb" link set lo up
ip -n "$nsa" address add 198.51.100.1/24 dev veth0
ip -n "$nsb" address add 198.51.100.2/24 dev veth0
ip -n "$nsa" link set veth0 up
ip -n "$nsb" link set veth0 up
install -m 600 "$WGX_SOURCE_DIR/examples/wgx-demo-a.conf" "$WGX_SOURCE_DIR/examples/wgx-demo-b.conf" "$QUICK_TMP/"

cat > "$QUICK_TMP/inner.bash" <<INNER
set -u
# One private mount namespace for both sides: the engines' sockets and the records stay here.
mount -t tmpfs -o mode=0755 tmpfs /run/wireguard
mount -t tmpfs -o mode=0755 tmpfs /run/wgx-quick
export WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
rc=0
ip netns exec $nsa "$WGX_BIN_DIR/wgx-quick" up "$QUICK_TMP/wgx-demo-a.conf" 2>> "$QUICK_TMP/log" || rc=1
ip netns exec $nsb "$WGX_BIN_DIR/wgx-quick" up "$QUICK_TMP/wgx-demo-b.conf" 2>> "$QUICK_TMP/log" || rc=1
ip netns exec $nsa ping -c 1 -W 3 192.0.2.2 > /dev/null || { echo "FAIL: ping 192.0.2.2"; rc=1; }
ip netns exec $nsb ping -c 1 -W 3 fd00:2::1 > /dev/null || { echo "FAIL: ping fd00:2::1"; rc=1; }
ip netns exec $nsa wg show wgx-demo-a latest-handshakes | grep -qv '	0$' || { echo "FAIL: no handshake"; rc=1; }
ip netns exec $nsa "$WGX_BIN_DIR/wgx-quick" down "$QUICK_TMP/wgx-demo-a.conf" 2>> "$QUICK_TMP/log" || rc=1
ip netns exec $nsb "$WGX_BIN_DIR/wgx-quick" down "$QUICK_TMP/wgx-demo-b.conf" 2>> "$QUICK_TMP/log" || rc=1
ip -n $nsa link show dev wgx-demo-a 2>/dev/null && { echo "FAIL: wgx-demo-a left behind"; rc=1; }
ip -n $nsb link show dev wgx-demo-b 2>/dev/null && { echo "FAIL: wgx-demo-b left behind"; rc=1; }
[[ -z \$(ls /run/wgx-quick) ]] || { echo "FAIL: records left behind"; rc=1; }
exit \$rc
INNER
if ! timeout 40 unshare -m --propagation private bash "$QUICK_TMP/inner.bash"; then
	quick_fail "the example tunnel did not work:"
	grep -v '│\|──' "$QUICK_TMP/log"
fi
quick_finish
