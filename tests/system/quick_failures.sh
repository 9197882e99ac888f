#!/bin/bash
# Failure injection: a failing PostUp (after a full tunnel's routes, rules, nftables, DNS and
# sysctl are in place), an unknown key, an unreachable engine, an engine that exits without an
# interface, DNS through a missing or failing resolvconf, and SIGTERM during up: each leaves the namespace exactly
# as it was, src_valid_mark included, and exits non-zero. wg-quick must fail on the same input.
source "$(dirname "$0")/quick_lib.bash"
quick_init

full="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53, example.test

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"

# expect_rollback NAME CONFIG [ACTION] [WGQ]: wgx-quick fails and leaves no residue; the
# reference fails too (unless WGQ=skip).
expect_rollback() {
	local name="$1" text="$2" action="${3:-up}" wgq="${4:-}" d
	d="$QUICK_TMP/$name/wgx-quick"
	quick_run wgx-quick "$text" "$d" "$action" || quick_fail "$name: run failed"
	if [[ $(cat "$d/rc-1-$action") == 0 ]]; then
		quick_fail "$name: wgx-quick $action succeeded"
	fi
	quick_residue "$d" "after-1-$action"
	if [[ $wgq != skip ]]; then
		quick_run wg-quick "$text" "$QUICK_TMP/$name/wg-quick" up || true
		[[ $(cat "$QUICK_TMP/$name/wg-quick/rc-1-up") != 0 ]] || quick_fail "$name: wg-quick up succeeded"
	fi
	echo "$name: $(tail -n 1 "$d/stderr-1-$action")"
}

expect_rollback failing-post-up "$full
[Interface]
PostUp = echo partial > \$QUICK_MARKERS/post-up; false; echo never >> \$QUICK_MARKERS/post-up"
grep -q never "$QUICK_TMP/failing-post-up/wgx-quick/markers/post-up" &&
	quick_fail "failing-post-up: the hook went on after false (set -e missing)"
grep -q '^\[#\] ip link delete dev' "$QUICK_TMP/failing-post-up/wgx-quick/stderr-1-up" ||
	quick_fail "failing-post-up: the rollback was not echoed"

expect_rollback unknown-key "$full
[Peer]
PublicKey = $QUICK_PEER2
Bogus = 1"

QUICK_EXTRA_ENV="WG_QUICK_USERSPACE_IMPLEMENTATION=/nonexistent/engine" \
	expect_rollback unreachable-engine "$full"

QUICK_EXTRA_ENV="WG_QUICK_USERSPACE_IMPLEMENTATION=true" \
	expect_rollback engine-without-interface "$full"

# resolvconf asked for but missing: up must fail rather than leak DNS outside the tunnel
# (without --dns-backend, wgx-quick would write /etc/resolv.conf instead; quick_dns_select.sh).
if ! command -v resolvconf >/dev/null; then
	QUICK_NO_RESOLVCONF=1 QUICK_EXTRA_ENV="QUICK_UP_OPTIONS=--dns-backend=resolvconf" \
		expect_rollback dns-without-resolvconf "$full"
else
	echo "dns-without-resolvconf: skipped (resolvconf is installed on this machine)"
fi
# resolvconf fails: the same.
QUICK_EXTRA_ENV="QUICK_RESOLVCONF_FAILS=1" expect_rollback dns-resolvconf-fails "$full"

expect_rollback sigterm-during-up "$full
[Interface]
PostUp = touch \$QUICK_MARKERS/in-post-up; sleep 20" up-sigterm skip

# A second up of a live interface is refused and leaves the first alone.
d="$QUICK_TMP/twice/wgx-quick"
quick_run wgx-quick "$full" "$d" "up up down" || quick_fail "twice: run failed"
[[ $(cat "$d/rc-2-up") == 1 ]] || quick_fail "twice: the second up did not fail with 1"
grep -qx "wgx-quick: \`$QUICK_IF' already exists" "$d/stderr-2-up" || quick_fail "twice: wrong message: $(cat "$d/stderr-2-up")"
diff -r "$d/after-1-up" "$d/after-2-up" > /dev/null || quick_fail "twice: the refused up changed something"
quick_residue "$d" after-3-down
echo "twice: $(cat "$d/stderr-2-up")"

quick_finish
