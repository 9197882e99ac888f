#!/bin/bash
# Every example in examples/ is a complete configuration: at least six of them besides the demo
# pair; only documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, fd00::/8);
# `wgx-quick strip` accepts it and prints what `wg-quick strip` prints; and `wgx setconf`
# applies the stripped file to a wgx-engine device, which then has every peer of the file.
source "$(dirname "$0")/quick_lib.bash" || exit 1
quick_init
ex=$WGX_SOURCE_DIR/examples

shopt -s nullglob
files=("$ex"/*.conf)
own=0
for f in "${files[@]}"; do [[ $(basename "$f") == wgx-demo-* ]] || ((++own)); done
((own >= 6)) || quick_fail "only $own examples besides the demo pair (at least 6 wanted)"

# Documentation addresses only: every IPv4 address is in one of the three TEST-NETs (or is the
# default route), every IPv6 address in fd00::/8 (or the default route).
for f in "${files[@]}"; do
	while read -r a; do
		[[ $a =~ ^(192\.0\.2|198\.51\.100|203\.0\.113)\. || $a == 0.0.0.0 ]] ||
			quick_fail "$(basename "$f"): $a is not a documentation address"
	done < <(sed 's/#.*//' "$f" | grep -oE '\b[0-9]{1,3}(\.[0-9]{1,3}){3}\b')
	while read -r a; do
		[[ $a == fd* || $a == ::/0 ]] || quick_fail "$(basename "$f"): $a is not in fd00::/8"
	done < <(sed 's/#.*//' "$f" | grep -E '^(Address|AllowedIPs|Endpoint|DNS)' | cut -d= -f2- |
		tr ',' '\n' | tr -d ' []' | sed -E 's/:[0-9]+$//' | grep ':')
done

# strip: accepted, and the same text as wg-quick's.
for f in "${files[@]}"; do
	name=$(basename "$f")
	install -m 600 "$f" "$QUICK_TMP/$name"
	if ! "$WGX_BIN_DIR/wgx-quick" strip "$QUICK_TMP/$name" >"$QUICK_TMP/$name.stripped" 2>"$QUICK_TMP/err"; then
		quick_fail "wgx-quick strip $name: $(cat "$QUICK_TMP/err")"
		continue
	fi
	wg-quick strip "$QUICK_TMP/$name" >"$QUICK_TMP/$name.reference" 2>/dev/null ||
		quick_fail "wg-quick strip rejects $name"
	cmp -s "$QUICK_TMP/$name.stripped" "$QUICK_TMP/$name.reference" ||
		quick_fail "wgx-quick strip $name differs from wg-quick strip"
	grep -qiE '^\s*(Address|DNS|MTU|Table|PreUp|PostUp|PreDown|PostDown|SaveConfig)\s*=' \
		"$QUICK_TMP/$name.stripped" && quick_fail "wgx-quick strip $name left a wgx-quick key"
done

# setconf: each stripped file onto one wgx-engine device, in a namespace of our own and a
# private mount namespace (the engine's socket stays out of the machine's /run/wireguard).
ns="wgx-test-$$-1"
QUICK_NETNS+=("$ns")
ip netns add "$ns"
cat >"$QUICK_TMP/inner.bash" <<'INNER'
set -u
mount -t tmpfs -o mode=0755 tmpfs /run/wireguard
dev=wgxex$$
"$WGX_BIN_DIR/wgx-engine" "$dev" || { echo "FAIL: wgx-engine $dev did not start"; exit 1; }
rc=0
for s in "$QUICK_TMP"/*.conf.stripped; do
	name=$(basename "$s" .stripped)
	if ! "$WGX" setconf "$dev" "$s" 2>"$QUICK_TMP/err"; then
		echo "FAIL: wgx setconf $name: $(cat "$QUICK_TMP/err")"
		rc=1
		continue
	fi
	want=$(grep -ciE '^\s*\[Peer\]' "$s")
	got=$("$WGX" show "$dev" peers | grep -c .)
	[[ $got == "$want" ]] || { echo "FAIL: $name has $want peers, the device $got"; rc=1; }
	want=$(sed -nE 's/^\s*PrivateKey\s*=\s*(\S+).*/\1/p' "$s" | wg pubkey)
	[[ $("$WGX" show "$dev" public-key) == "$want" ]] || { echo "FAIL: $name: wrong public key"; rc=1; }
done
ip link del "$dev"
exit $rc
INNER
export QUICK_TMP
timeout 60 ip netns exec "$ns" unshare -m --propagation private bash "$QUICK_TMP/inner.bash" ||
	quick_fail "setconf of the examples failed (above)"
quick_finish
