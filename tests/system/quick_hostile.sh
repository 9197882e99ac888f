#!/bin/bash
# Hardening issue, item 7, with wgx-engine as the userspace engine:
#  - `wgx-quick save` killed with SIGKILL at 40 random points leaves the old or the new file,
#    never a truncated or mixed one (and the saved file is 0600 even under umask 000);
#  - `wgx-quick down` after `kill -9` of the engine cleans up everything `up` did.
source "$(dirname "$0")/quick_lib.bash"
quick_init
command -v fuser >/dev/null || { echo "skipped: no fuser (psmisc)"; exit 77; }
export QUICK_EXTRA_ENV="WGX_QUICK_USERSPACE_IMPLEMENTATION=$WGX_BIN_DIR/wgx-engine"

conf="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53
SaveConfig = false

[Peer]
PublicKey = $QUICK_PEER1
PresharedKey = $QUICK_PSK
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"

d="$QUICK_TMP/hostile"
umask 000
quick_run wgx-quick "$conf" "$d" "up mutate save-killed kill-9-engine down" || quick_fail "run failed"
umask 022
[[ $(cat "$d/rc-1-up") == 0 ]] || { quick_fail "up failed"; cat "$d/stderr-1-up"; }
cmp -s "$d/save-old" "$d/save-new" && quick_fail "save changed nothing: the kill test would prove nothing"
echo "save killed at random points: $(sort "$d/save-killed" | uniq -c | tr -s ' \n' ' ')"
grep -q '^other' "$d/save-killed" && quick_fail "a killed save left a file that is neither old nor new"
[[ $(stat -c %a "$d/save-new") == 600 ]] || quick_fail "save wrote mode $(stat -c %a "$d/save-new") under umask 000"
leftovers=$(grep -c '\.tmp\.' "$d/save-killed-dir" || true)
echo "temporary files left by killed saves: $leftovers"
[[ -e "$d/after-4-kill-9-engine/links" ]] && grep -q "$QUICK_IF" "$d/after-4-kill-9-engine/links" &&
	quick_fail "the TUN outlived its engine"
[[ $(cat "$d/rc-5-down") == 0 ]] || { quick_fail "down after kill -9 failed:"; cat "$d/stderr-5-down"; }
quick_residue "$d" after-5-down
quick_finish
