#!/bin/bash
# save: after the live state changed (an address, a peer, the MTU), `wgx-quick save` writes the
# configuration `wg-quick save` writes (the same keys and values per section; wgx-quick keeps
# the file's own order and only changes what changed, see quick_save_safe.sh), mode 0600; and
# `down` with SaveConfig = true saves the same way.
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

normalise() { # what the file means: each section's keys and values, list values as sets
	python3 -c '
import sys
sections, cur = [], None
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    if line.startswith("["):
        cur = [line.lower()]
        sections.append(cur)
        continue
    key, _, value = line.partition("=")
    key = key.strip().lower()
    if key in ("address", "dns", "allowedips"):
        for v in (v.strip() for v in value.split(",")):
            # wg-quick saves only DNS servers; wgx-quick keeps the search domains too.
            if key == "dns" and not (":" in v or all(c in "0123456789." for c in v)):
                continue
            # wg-quick also saves the IPv6 link-local address of the kernel; wgx-quick does not.
            if key == "address" and v.lower().startswith("fe80:"):
                continue
            cur.append((key, v))
    else:
        cur.append((key, value.strip()))
blocks = [sorted(s[1:]) for s in sections]
for b in blocks[:1] + sorted(blocks[1:]):
    print(b)' "$1"
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
grep -q "('address', '192.0.2.77/32')" "$QUICK_TMP/save/wgx-quick/saved" || quick_fail "the live address was not saved"
grep -q "('mtu', '1380')" "$QUICK_TMP/save/wgx-quick/saved" || quick_fail "the live MTU was not saved"
quick_finish
