#!/bin/bash
# The /etc/resolv.conf backend, in a private mount namespace whose /etc/resolv.conf is a bind
# mount of a file of the test's own (quick_inner.bash): the file is rewritten at up (servers,
# search domains with the ~ domains folded in and a warning, the original's options lines) and
# comes back byte for byte at down, at the rollback of a failed up, and at down after wgx-quick
# was killed with SIGKILL in the middle of up; the next up after such a crash keeps the true
# original. The copy under /run/wgx-quick is gone afterwards.
source "$(dirname "$0")/quick_lib.bash"
quick_init

conf="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24
DNS = 198.51.100.53, fd00:53::1, corp.example, ~internal.example

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0
Endpoint = 203.0.113.7:51820"

# An original with a comment, odd spacing and no final newline: restored exactly.
original=$'# written by hand\nnameserver 192.0.2.250\nsearch before.test\noptions edns0 trust-ad\n  options\trotate\n\nnameserver 192.0.2.251'

# file_run NAME CONFIG ACTIONS: a run with the file backend forced; sets D.
file_run() {
	D="$QUICK_TMP/$1"
	mkdir -p "$D"
	printf '%s' "$original" > "$D/resolv.conf"
	QUICK_EXTRA_ENV="QUICK_UP_OPTIONS=--dns-backend=file" \
		quick_run wgx-quick "$2" "$D" "$3" || quick_fail "$1: run failed: $(cat "$D/inner.log")"
}

rewritten="# wgx-quick: DNS of $QUICK_IF (the original comes back with \`wgx-quick down $QUICK_IF')
nameserver 198.51.100.53
nameserver fd00:53::1
search corp.example internal.example
options edns0 trust-ad
  options	rotate"

# 1. up rewrites, down restores byte for byte.
file_run updown "$conf" "up down"
[[ $(cat "$D/rc-1-up") == 0 ]] || { quick_fail "updown: up failed:"; cat "$D/stderr-1-up"; }
diff -u <(printf '%s\n' "$rewritten") "$D/after-1-up/resolv.conf" || quick_fail "updown: resolv.conf while up"
cmp -s <(printf '%s' "$original") "$D/after-2-down/resolv.conf" || quick_fail "updown: not restored byte for byte"
cmp -s <(printf '%s' "$original") "$D/before/resolv.conf" || quick_fail "updown: the original was not in place before up"
grep -qx "$QUICK_IF.resolv.conf" "$D/after-1-up/records" || quick_fail "updown: no copy of the original while up"
grep -qF "Warning: /etc/resolv.conf: ~internal.example becomes the search domain internal.example" "$D/stderr-1-up" ||
	{ quick_fail "updown: no warning for the ~ domain:"; cat "$D/stderr-1-up"; }
grep -qxF "[#] cp /etc/resolv.conf /run/wgx-quick/$QUICK_IF.resolv.conf" "$D/stderr-1-up" || quick_fail "updown: the copy was not echoed"
grep -qxF "[#] cat /run/wgx-quick/$QUICK_IF.resolv.conf > /etc/resolv.conf && rm /run/wgx-quick/$QUICK_IF.resolv.conf" "$D/stderr-2-down" ||
	quick_fail "updown: the restore was not echoed"
quick_residue "$D" after-2-down
echo "updown: $(sed -n 2p "$D/after-1-up/resolv.conf")"

# 2. A failed up puts the original back.
file_run failed-up "$conf
[Interface]
PostUp = false" "up"
[[ $(cat "$D/rc-1-up") != 0 ]] || quick_fail "failed-up: up succeeded"
cmp -s <(printf '%s' "$original") "$D/after-1-up/resolv.conf" || quick_fail "failed-up: not restored byte for byte"
quick_residue "$D" after-1-up

# 3. SIGKILL in the middle of up, then down: the original comes back. SIGKILL, the engine gone
#    too, then up again (it undoes what the killed one left first) and down: the original
#    survives both.
killing="$conf
[Interface]
PostUp = echo \$\$ > \$QUICK_MARKERS/in-post-up; exec sleep 20"
file_run killed "$killing" "up-kill9 down"
diff -u <(printf '%s\n' "$rewritten") "$D/after-1-up-kill9/resolv.conf" || quick_fail "killed: DNS was not set when killed"
[[ $(cat "$D/rc-2-down") == 0 ]] || { quick_fail "killed: down failed:"; cat "$D/stderr-2-down"; }
cmp -s <(printf '%s' "$original") "$D/after-2-down/resolv.conf" || quick_fail "killed: not restored byte for byte"
quick_residue "$D" after-2-down

# The hook sleeps only in the first up.
file_run killed-up-down "$conf
[Interface]
PostUp = [ -e \$QUICK_MARKERS/killed-once ] || { touch \$QUICK_MARKERS/killed-once; echo \$\$ > \$QUICK_MARKERS/in-post-up; exec sleep 20; }" \
	"up-kill9 kill-engine up down"
[[ $(cat "$D/rc-3-up") == 0 ]] || { quick_fail "killed-up-down: the second up failed:"; cat "$D/stderr-3-up"; }
diff -u <(printf '%s\n' "$rewritten") "$D/after-3-up/resolv.conf" || quick_fail "killed-up-down: second up"
cmp -s <(printf '%s' "$original") "$D/after-4-down/resolv.conf" || quick_fail "killed-up-down: not restored byte for byte"
quick_residue "$D" after-4-down

# 4. reload leaves the file as up wrote it (only resolvconf is reloaded), and save keeps the DNS
#    line: the servers it reads back from the file are the file's.
file_run reload-save "$conf" "up reload save down"
for step in 2-reload 3-save; do
	[[ $(cat "$D/rc-$step") == 0 ]] || { quick_fail "reload-save: $step failed:"; cat "$D/stderr-$step"; }
done
grep -q resolvconf "$D/stderr-2-reload" && quick_fail "reload-save: reload called resolvconf"
cmp -s "$D/after-1-up/resolv.conf" "$D/after-3-save/resolv.conf" || quick_fail "reload-save: resolv.conf changed"
grep -qx "DNS = 198.51.100.53, fd00:53::1, corp.example, ~internal.example" "$D/conf/$QUICK_IF.conf" ||
	{ quick_fail "reload-save: save changed the DNS line:"; grep DNS "$D/conf/$QUICK_IF.conf"; }
cmp -s <(printf '%s' "$original") "$D/after-4-down/resolv.conf" || quick_fail "reload-save: not restored byte for byte"
quick_residue "$D" after-4-down

# 5. Another interface's DNS in the file: refused with one line, nothing changed.
D="$QUICK_TMP/owned"
mkdir -p "$D"
printf '# wgx-quick: DNS of wgother (the original comes back with `wgx-quick down wgother'"'"')\nnameserver 192.0.2.9\n' > "$D/resolv.conf"
QUICK_EXTRA_ENV="QUICK_UP_OPTIONS=--dns-backend=file" quick_run wgx-quick "$conf" "$D" "up" || quick_fail "owned: run failed"
[[ $(cat "$D/rc-1-up") != 0 ]] || quick_fail "owned: up succeeded"
grep -q "holds the DNS of \`wgother' already" "$D/stderr-1-up" || { quick_fail "owned: message:"; cat "$D/stderr-1-up"; }
quick_residue "$D" after-1-up

quick_finish
