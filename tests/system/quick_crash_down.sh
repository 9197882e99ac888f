#!/bin/bash
# down after the engine crashed and its TUN vanished: wgx-quick still removes the rules, the
# nftables tables, the DNS entry, restores src_valid_mark and the stale UAPI socket, from the
# record `up` left under /run/wgx-quick (wg-quick refuses: "is not a WireGuard interface").
# Also: SaveConfig = true does not stop the cleanup when there is nothing left to save.
source "$(dirname "$0")/quick_lib.bash"
quick_init

conf="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53
SaveConfig = true
PostDown = echo post-down >> \$QUICK_MARKERS/hooks

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"

d="$QUICK_TMP/crash/wgx-quick"
quick_run wgx-quick "$conf" "$d" "up kill-engine down" || quick_fail "run failed"
[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "up failed"; cat "$d/stderr-1-up"; }
grep -q "$QUICK_IF" "$d/after-1-up/records" || quick_fail "up left no record"
grep -q "lookup 51820" "$d/after-2-kill-engine/rule4" || quick_fail "the crash removed the rules?"
[[ $(cat "$d/rc-3-down") == 0 ]] || { quick_fail "down after the crash failed:"; cat "$d/stderr-3-down"; }
quick_residue "$d" after-3-down
grep -q post-down "$d/after-3-down/markers" || quick_fail "PostDown did not run"
echo "wgx-quick down after a crash: $(grep -c '^\[#\]' "$d/stderr-3-down") actions"

# up again after the crash, without a down: the leftovers are undone first, the new up works
# and its down leaves nothing.
d="$QUICK_TMP/crash/again"
quick_run wgx-quick "$conf" "$d" "up kill-engine up down" || quick_fail "run failed"
[[ $(cat "$d/rc-3-up") == 0 ]] || { quick_fail "up after the crash failed:"; cat "$d/stderr-3-up"; }
grep -q "earlier up" "$d/stderr-3-up" || quick_fail "up after the crash did not undo the leftovers"
for w in rule4 rule6 nft; do
	diff -u "$d/after-1-up/$w" "$d/after-3-up/$w" || quick_fail "up after the crash: $w differs from the first up"
done
quick_residue "$d" after-4-down

d="$QUICK_TMP/crash/wg-quick"
quick_run wg-quick "$conf" "$d" "up kill-engine down" || true
[[ $(cat "$d/rc-3-down") != 0 ]] && echo "wg-quick down after a crash: $(tail -n 1 "$d/stderr-3-down")"

quick_finish
