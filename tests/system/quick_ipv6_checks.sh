#!/bin/bash
# Where wg is silent about IPv6: a full tunnel for IPv4 only, on a host with a global IPv6
# address, warns that IPv6 leaks around it (and still comes up); with ::/0 too it does not
# warn. A file with IPv6 entries on a host with IPv6 disabled is refused with one clear line
# before anything changes.
source "$(dirname "$0")/quick_lib.bash"
quick_init

leaky="[Interface]
PrivateKey = $QUICK_PRIV
Address = 192.0.2.1/24

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0
Endpoint = 203.0.113.7:51820"
d="$QUICK_TMP/leak"
quick_run wgx-quick "$leaky" "$d" || quick_fail "run failed"
[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "up failed:"; cat "$d/stderr-1-up"; }
grep -q "^Warning: all IPv4 traffic goes through $QUICK_IF but IPv6 does not: this host has the global IPv6 address fd00:51::1 on uplink0" \
	"$d/stderr-1-up" || { quick_fail "no IPv6 leak warning:"; cat "$d/stderr-1-up"; }
quick_residue "$d" after-2-down

d="$QUICK_TMP/closed"
quick_run wgx-quick "${leaky/AllowedIPs = 0.0.0.0\/0/AllowedIPs = 0.0.0.0/0, ::/0}" "$d" || quick_fail "run failed"
[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "up (both families) failed:"; cat "$d/stderr-1-up"; }
grep -q "IPv6 leaks" "$d/stderr-1-up" && quick_fail "a warning although ::/0 is routed too"

# IPv6 disabled in a namespace of its own.
ns="wgx-test-$$-9"
QUICK_NETNS+=("$ns")
ip netns add "$ns"
mkdir -p "$QUICK_TMP/v6off"
printf '%s\n' "${leaky/Address = 192.0.2.1\/24/Address = 192.0.2.1/24, fd00:2::1/64}" > "$QUICK_TMP/v6off/$QUICK_IF.conf"
chmod 600 "$QUICK_TMP/v6off/$QUICK_IF.conf"
rc=0
timeout 30 ip netns exec "$ns" unshare -m --propagation private bash -c '
	mount -t tmpfs tmpfs /run/wireguard; mount -t tmpfs tmpfs /run/wgx-quick
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	"$1" up "$2"; rc=$?
	ip link show "$3" > /dev/null 2>&1 && echo "interface left behind"
	exit $rc' _ "$WGX_BIN_DIR/wgx-quick" "$QUICK_TMP/v6off/$QUICK_IF.conf" "$QUICK_IF" \
	> "$QUICK_TMP/v6off/out" 2> "$QUICK_TMP/v6off/err" || rc=$?
[[ $rc != 0 ]] || quick_fail "up with IPv6 disabled succeeded"
[[ ! -s $QUICK_TMP/v6off/out ]] || { cat "$QUICK_TMP/v6off/out"; quick_fail "something was left or printed"; }
[[ $(wc -l < "$QUICK_TMP/v6off/err") == 1 ]] || { cat "$QUICK_TMP/v6off/err"; quick_fail "not one line"; }
grep -q "IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1), but .* has Address fd00:2::1/64" \
	"$QUICK_TMP/v6off/err" || { cat "$QUICK_TMP/v6off/err"; quick_fail "the message"; }
quick_finish
