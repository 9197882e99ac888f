#!/bin/bash
# The safe save: comments (peer names too), blank lines, key order and lines wgx does not know
# survive `save`; only the values that changed live change (checked with diff against the
# original); a file edited since `up` is refused with one line and left alone, --force writes
# it; `down` with SaveConfig over an edited file warns, leaves the file, and still takes the
# interface down without residue.
source "$(dirname "$0")/quick_lib.bash"
quick_init

conf="# Office tunnel: keep this header.
[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820   # opened in the firewall
Address = 192.0.2.1/24
MTU = 1400
SaveConfig = true

# Name = laptop
[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.2/32   # laptop
Endpoint = 198.51.100.2:51820

[Peer]
# Name = gone-soon
PublicKey = $QUICK_PEER2
AllowedIPs = 192.0.2.3/32"

# 1. save after live changes: the diff against the original is exactly the changed values.
d="$QUICK_TMP/save"
quick_run wgx-quick "$conf" "$d" "up mutate save" || quick_fail "run failed"
[[ $(cat "$d/rc-3-save") == 0 ]] || { quick_fail "save failed:"; cat "$d/stderr-3-save"; }
printf '%s\n' "$conf" > "$QUICK_TMP/original"
diff "$QUICK_TMP/original" "$d/conf/$QUICK_IF.conf" > "$QUICK_TMP/changes"
# mutate (quick_inner.bash): address 192.0.2.77/32, a new peer with 198.51.100.77/32 and an
# endpoint, MTU 1380.
cat > "$QUICK_TMP/expected-changes" <<EOF2
5,6c5,6
< Address = 192.0.2.1/24
< MTU = 1400
---
> Address = 192.0.2.1/24, 192.0.2.77/32
> MTU = 1380
18a19,23
> 
> [Peer]
> PublicKey = $QUICK_PEER3
> AllowedIPs = 198.51.100.77/32
> Endpoint = 198.51.100.9:4000
EOF2
diff -u "$QUICK_TMP/expected-changes" "$QUICK_TMP/changes" || quick_fail "save changed more (or less) than what changed live"
[[ $(stat -c %a "$d/conf/$QUICK_IF.conf") == 600 ]] || quick_fail "saved file is not 0600"

# 2. A file edited since up: save refuses, --force writes; down warns, leaves it, goes down.
# quick_inner.bash has no action that edits the file: the steps run here, in one namespace.
ns="wgx-test-$$-9"
QUICK_NETNS+=("$ns")
ip netns add "$ns"
mkdir -p "$QUICK_TMP/e/conf"
printf '%s\n' "$conf" > "$QUICK_TMP/e/conf/$QUICK_IF.conf"
chmod 600 "$QUICK_TMP/e/conf/$QUICK_IF.conf"
timeout 60 ip netns exec "$ns" unshare -m --propagation private bash -c '
	set -u
	mount -t tmpfs tmpfs /run/wireguard; mount -t tmpfs tmpfs /run/wgx-quick
	Q="$1" IF="$2" F="$3" OUT="$4"
	ip link set lo up
	"$Q" up "$F" > /dev/null 2>&1 || { echo "up failed"; exit 1; }
	ip address add 192.0.2.77/32 dev "$IF"
	echo "# edited by hand after up" >> "$F"
	cp "$F" "$OUT/edited"
	"$Q" save "$F" > /dev/null 2> "$OUT/save.err"; echo $? > "$OUT/save.rc"
	cp "$F" "$OUT/after-save"
	"$Q" down "$F" > /dev/null 2> "$OUT/down.err"; echo $? > "$OUT/down.rc"
	cp "$F" "$OUT/after-down"
	ip link show dev "$IF" > /dev/null 2>&1 && echo present > "$OUT/link-after-down"
	for i in $(seq 20); do [[ -z "$(ls -A /run/wireguard)" ]] && break; sleep 0.1; done
	find /run/wgx-quick /run/wireguard -mindepth 1 > "$OUT/state-after-down"
	# Once more, this time forced.
	"$Q" up "$F" > /dev/null 2>&1 || { echo "second up failed"; exit 1; }
	ip address add 192.0.2.78/32 dev "$IF"
	echo "# another hand edit" >> "$F"
	"$Q" save "$F" --force > /dev/null 2> "$OUT/force.err"; echo $? > "$OUT/force.rc"
	cp "$F" "$OUT/after-force"
	sed -i "s/^SaveConfig = true/SaveConfig = false/" "$F"
	"$Q" down "$F" > /dev/null 2>&1
' _ "$WGX_BIN_DIR/wgx-quick" "$QUICK_IF" "$QUICK_TMP/e/conf/$QUICK_IF.conf" "$QUICK_TMP/e" > "$QUICK_TMP/e/log" 2>&1 ||
	{ cat "$QUICK_TMP/e/log"; quick_fail "the edit sequence failed"; }
ip netns del "$ns"
e="$QUICK_TMP/e"
[[ $(cat "$e/save.rc") != 0 ]] || quick_fail "save over a hand-edited file succeeded"
[[ $(wc -l < "$e/save.err") == 1 ]] && grep -q "changed on disk since up" "$e/save.err" ||
	{ cat "$e/save.err"; quick_fail "the refusal is not one clear line"; }
cmp -s "$e/edited" "$e/after-save" || quick_fail "the refused save touched the file"
[[ $(cat "$e/down.rc") == 0 ]] || { cat "$e/down.err"; quick_fail "down failed after a refused save"; }
grep -q "^Warning: .*changed on disk since up" "$e/down.err" || { cat "$e/down.err"; quick_fail "down did not warn"; }
cmp -s "$e/edited" "$e/after-down" || quick_fail "down's refused save touched the file"
[[ ! -e $e/link-after-down ]] || quick_fail "the interface is still there after down"
[[ ! -s $e/state-after-down ]] || { cat "$e/state-after-down"; quick_fail "records or sockets left after down"; }
[[ $(cat "$e/force.rc") == 0 ]] || { cat "$e/force.err"; quick_fail "save --force failed"; }
grep -q "192.0.2.78/32" "$e/after-force" || quick_fail "save --force did not write the live address"
grep -q "^# another hand edit" "$e/after-force" || quick_fail "save --force dropped the hand edit's comment"
quick_finish
