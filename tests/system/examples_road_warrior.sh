#!/bin/bash
# The road-warrior client example against the server example, unchanged but for where the files
# live: two network namespaces joined by a veth pair (the server's uplink has the client's
# Endpoint, 203.0.113.1), each side brought up by `wgx-quick up` on wgx-engine, the client
# pings the server through the tunnel over IPv4 and IPv6, and `down` leaves nothing behind.
# Both sides share one private mount namespace (their sockets and records stay in it); DNS goes
# to a stub resolvconf that only records.
source "$(dirname "$0")/quick_lib.bash" || exit 1
quick_init
command -v ping >/dev/null || { echo "skipped: ping not installed"; exit 77; }

srv="wgx-test-$$-1" cli="wgx-test-$$-2"
QUICK_NETNS+=("$srv" "$cli")
ip netns add "$srv"
ip netns add "$cli"
ip -n "$srv" link add veth0 type veth peer name veth0 netns "$cli"
for ns in "$srv" "$cli"; do
	ip -n "$ns" link set lo up
done
ip -n "$srv" address add 203.0.113.1/24 dev veth0
ip -n "$cli" address add 203.0.113.2/24 dev veth0
ip -n "$srv" link set veth0 up
ip -n "$cli" link set veth0 up
install -m 600 "$WGX_SOURCE_DIR/examples/server.conf" "$WGX_SOURCE_DIR/examples/road-warrior.conf" "$QUICK_TMP/"
mkdir -p "$QUICK_TMP/bin"
cat >"$QUICK_TMP/bin/resolvconf" <<'STUB'
#!/bin/bash
# A stub: records what it is asked, never touches the real resolver.
echo "resolvconf $*" >>"$QUICK_TMP/resolvconf.log"
[[ $1 == -a ]] && cat >>"$QUICK_TMP/resolvconf.log"
exit 0
STUB
chmod +x "$QUICK_TMP/bin/resolvconf"

cat >"$QUICK_TMP/inner.bash" <<INNER
set -u
mount -t tmpfs -o mode=0755 tmpfs /run/wireguard
mount -t tmpfs -o mode=0755 tmpfs /run/wgx-quick
export PATH="$QUICK_TMP/bin:\$PATH" QUICK_TMP="$QUICK_TMP"
# No system bus: the host's systemd-resolved, if any, is never asked (resolvconf is chosen).
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$QUICK_TMP/no-system-bus"
export WGX_QUICK_USERSPACE_IMPLEMENTATION="$WGX_BIN_DIR/wgx-engine"
quick="$WGX_BIN_DIR/wgx-quick"
rc=0
ip netns exec $srv "\$quick" up "$QUICK_TMP/server.conf" 2>>"$QUICK_TMP/log" || { echo "FAIL: server up"; rc=1; }
ip netns exec $cli "\$quick" up "$QUICK_TMP/road-warrior.conf" 2>>"$QUICK_TMP/log" || { echo "FAIL: client up"; rc=1; }
ip netns exec $cli ping -c 1 -W 3 192.0.2.1 >/dev/null || { echo "FAIL: ping 192.0.2.1 through the tunnel"; rc=1; }
ip netns exec $cli ping -c 1 -W 3 fd00:10::1 >/dev/null || { echo "FAIL: ping fd00:10::1 through the tunnel"; rc=1; }
# The full tunnel: the client's route to an address beyond the server goes into the tunnel.
ip netns exec $cli ip -4 route get 198.51.100.99 | grep -q 'dev road-warrior' ||
	{ echo "FAIL: the client's default route is not the tunnel"; rc=1; }
grep -q 'nameserver 192.0.2.1' "$QUICK_TMP/resolvconf.log" 2>/dev/null || { echo "FAIL: DNS not set"; rc=1; }
ip netns exec $srv "$WGX" show server latest-handshakes | grep -q 'drrE1Zw38NFR+bH1T8Onev+6QIBr/CZUztm4Fh3EUkk=	[1-9]' ||
	{ echo "FAIL: no handshake with alice-laptop"; rc=1; }
ip netns exec $cli "\$quick" down "$QUICK_TMP/road-warrior.conf" 2>>"$QUICK_TMP/log" || { echo "FAIL: client down"; rc=1; }
ip netns exec $srv "\$quick" down "$QUICK_TMP/server.conf" 2>>"$QUICK_TMP/log" || { echo "FAIL: server down"; rc=1; }
ip -n $cli link show dev road-warrior 2>/dev/null && { echo "FAIL: road-warrior left behind"; rc=1; }
ip -n $srv link show dev server 2>/dev/null && { echo "FAIL: server left behind"; rc=1; }
[[ -z \$(ls -A /run/wgx-quick)\$(ls -A /run/wireguard) ]] || { echo "FAIL: records or sockets left behind"; rc=1; }
# SaveConfig = true: down wrote the running configuration back, with all three peers.
[[ \$(grep -c '^\[Peer\]' "$QUICK_TMP/server.conf") == 3 ]] || { echo "FAIL: SaveConfig lost peers"; rc=1; }
exit \$rc
INNER
if ! timeout 60 unshare -m --propagation private bash "$QUICK_TMP/inner.bash"; then
	quick_fail "the road-warrior example did not work:"
	grep -v '│\|──' "$QUICK_TMP/log"
fi
quick_finish
