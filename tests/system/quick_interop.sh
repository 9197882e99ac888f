#!/bin/bash
# Either tool takes down what the other brought up (a full tunnel with DNS and hooks): wgx-quick
# down without a record does what wg-quick would, and wg-quick down finds the same rules and
# the same nftables table after wgx-quick up. Neither order leaves residue (wg-quick keeps
# src_valid_mark set, as it always does).
source "$(dirname "$0")/quick_lib.bash"
quick_init

conf="[Interface]
PrivateKey = $QUICK_PRIV
ListenPort = 51820
Address = 192.0.2.1/24, fd00:2::1/64
DNS = 192.0.2.53, example.test
PostDown = echo post-down %i >> \$QUICK_MARKERS/hooks

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 203.0.113.7:51820"

d="$QUICK_TMP/ref-up"
quick_run wgx-quick "$conf" "$d" "wg-quick:up wgx-quick:down" || quick_fail "run failed"
[[ $(cat "$d/rc-1-wg-quick:up") == 0 ]] || quick_fail "wg-quick up failed"
[[ $(cat "$d/rc-2-wgx-quick:down") == 0 ]] || { quick_fail "wgx-quick down failed:"; cat "$d/stderr-2-wgx-quick:down"; }
quick_residue "$d" after-2-wgx-quick:down wg-quick
grep -q "post-down $QUICK_IF" "$d/after-2-wgx-quick:down/markers" || quick_fail "PostDown did not run"

d="$QUICK_TMP/wgx-up"
quick_run wgx-quick "$conf" "$d" "wgx-quick:up wg-quick:down" || quick_fail "run failed"
[[ $(cat "$d/rc-1-wgx-quick:up") == 0 ]] || quick_fail "wgx-quick up failed"
[[ $(cat "$d/rc-2-wg-quick:down") == 0 ]] || { quick_fail "wg-quick down failed:"; cat "$d/stderr-2-wg-quick:down"; }
# wg-quick knows nothing of the record; everything else must be gone.
for w in links addr route4 route6 rule4 rule6 nft resolv sockets; do
	diff -u "$d/before/$w" "$d/after-2-wg-quick:down/$w" ||
		quick_fail "wg-quick down after wgx-quick up left residue in $w"
done
quick_finish
