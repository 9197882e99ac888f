#!/usr/bin/env bash
# tools/demo, the README's main job, run against this build: wgx-quick up from examples/ in two
# namespaces, pings both ways, wgx show, torn down; nothing may be left behind.
[ "$(id -u)" = 0 ] || { echo "skipped: needs root (network namespaces)"; exit 77; }
set -u
out=$(WGX_BUILD_DIR=$(dirname "$WGX_BIN_DIR") "$WGX_SOURCE_DIR/tools/demo" 2>&1)
rc=$?
echo "$out"
[ "$rc" = 0 ] || { echo "FAIL: tools/demo exited $rc"; exit 1; }
grep -q '^demo: tunnel works both ways' <<<"$out" || { echo "FAIL: no success line"; exit 1; }
grep -q 'latest handshake' <<<"$out" || { echo "FAIL: wgx show printed no handshake"; exit 1; }
pid=$(sed -n 's/^\[#\] ip netns add wgx-demo-\([0-9]*\)-a$/\1/p' <<<"$out")
[ -n "$pid" ] || { echo "FAIL: demo namespace not found in output"; exit 1; }
if ip netns list | grep -q "wgx-demo-$pid-"; then
	echo "FAIL: namespaces left behind"
	exit 1
fi
if ls /var/run/wireguard/wgxdemo?"$((pid % 10000))".sock /run/wgx-quick/wgxdemo?"$((pid % 10000))" 2>/dev/null | grep -q .; then
	echo "FAIL: sockets or wgx-quick records left behind"
	exit 1
fi
echo ok
