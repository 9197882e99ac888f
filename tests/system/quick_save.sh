#!/bin/bash
# save: after the live state changed (an address, a peer, the MTU), `wgx-quick save` writes what
# `wg-quick save` writes, byte for byte (wireguard-go's random peer order normalised), mode 0600;
# and `down` with SaveConfig = true saves the same way.
source "$(dirname "$0")/quick_lib.bash"
quick_init

conf="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53, fd00:2::53, example.test
MTU = 1400
Table = 1234
SaveConfig = true
PreUp = true %i
PostUp = echo up > /dev/null
PreDown = echo down | cat > /dev/null
PostDown = true

[Peer]
PublicKey = $QUICK_PEER1
PresharedKey = $QUICK_PSK
AllowedIPs = 192.0.2.0/25, fd00:3::/64
Endpoint = 198.51.100.2:51820
PersistentKeepalive = 15

[Peer]
PublicKey = $QUICK_PEER2
AllowedIPs = 203.0.113.0/24"

normalise() { # the [Interface] section as is, then the [Peer] sections sorted
	python3 -c '
import sys
text = open(sys.argv[1]).read()
blocks = text.rstrip("\n").split("\n\n")
sys.stdout.write("\n\n".join(blocks[:1] + sorted(blocks[1:])) + "\n")
print("ends with newline:", text.endswith("\n") and not text.endswith("\n\n"))' "$1"
}

for t in wg-quick wgx-quick; do
	d="$QUICK_TMP/save/$t"
	quick_run "$t" "$conf" "$d" "up mutate save" || quick_fail "$t run failed"
	[[ $(cat "$d/rc-3-save") == 0 ]] || { quick_fail "$t save failed:"; cat "$d/stderr-3-save"; }
	normalise "$d/conf/$QUICK_IF.conf" > "$d/saved"
	stat -c %a "$d/conf/$QUICK_IF.conf" > "$d/saved-mode"
	ls "$d/conf" > "$d/saved-dir"
	# Once more through down (SaveConfig = true), from the state save just wrote.
	quick_run "$t" "$(cat "$d/conf/$QUICK_IF.conf")" "$d/again" "up mutate down" || quick_fail "$t rerun failed"
	[[ $(cat "$d/again/rc-3-down") == 0 ]] || { quick_fail "$t down failed:"; cat "$d/again/stderr-3-down"; }
	normalise "$d/again/conf/$QUICK_IF.conf" > "$d/saved-by-down"
	quick_residue "$d/again" after-3-down "$t"
done
for w in saved saved-mode saved-dir saved-by-down; do
	quick_compare "$QUICK_TMP/save/wg-quick" "$QUICK_TMP/save/wgx-quick" "$w"
done
grep -q "Address = 192.0.2.77/32" "$QUICK_TMP/save/wgx-quick/saved" || quick_fail "the live address was not saved"
grep -q "MTU = 1380" "$QUICK_TMP/save/wgx-quick/saved" || quick_fail "the live MTU was not saved"
quick_finish
