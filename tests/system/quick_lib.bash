# Shared by tests/system/quick_*.sh: run wg-quick and wgx-quick on the same configuration, each
# in its own network namespace and private mount namespace (tmpfs on /run/wireguard and
# /run/wgx-quick, a stub resolvconf that only records), and capture the state they leave.
# Sourced, not run; the ctest glob only picks up *.sh and *.py.

set -u
QUICK_PROGRAM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

quick_require() {
	if [[ $(id -u) -ne 0 ]]; then echo "skipped: needs root (network namespaces)"; exit 77; fi
	local t
	for t in ip wg wg-quick wireguard-go nft unshare; do
		command -v "$t" >/dev/null || { echo "skipped: $t not installed"; exit 77; }
	done
	[[ -n ${WGX:-} && -x ${WGX:-} ]] || { echo "skipped: WGX (the built wgx) not set"; exit 77; }
	[[ -x ${WGX_BIN_DIR:-}/wgx-quick ]] || { echo "skipped: $WGX_BIN_DIR/wgx-quick missing"; exit 77; }
	ip netns add "wgx-quick-probe-$$" 2>/dev/null || { echo "skipped: cannot create network namespaces"; exit 77; }
	ip netns del "wgx-quick-probe-$$"
}

QUICK_NETNS=()
quick_cleanup() {
	local ns
	for ns in "${QUICK_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	[[ -n ${QUICK_TMP:-} ]] && rm -rf "$QUICK_TMP"
}

quick_init() {
	quick_require
	QUICK_TMP="$(mktemp -d /tmp/wgx-quick-test.XXXXXX)"
	chmod 755 "$QUICK_TMP"
	trap quick_cleanup EXIT
	mkdir -p /run/wireguard /run/wgx-quick
	QUICK_IF="wgxq$(( $$ % 10000 ))"
	QUICK_NS_COUNT=0
	# Keys shared by both runs, so that `wg showconf` can be compared as is.
	QUICK_PRIV="$(wg genkey)"
	QUICK_PEER1="$(wg genkey | wg pubkey)"
	QUICK_PEER2="$(wg genkey | wg pubkey)"
	QUICK_PEER3="$(wg genkey | wg pubkey)"
	QUICK_PSK="$(wg genpsk)"
	export QUICK_PRIV QUICK_PEER1 QUICK_PEER2 QUICK_PEER3 QUICK_PSK
}

# quick_run TOOL CONFIG_TEXT OUT [ACTIONS]: in a fresh namespace pair, set up the "uplink",
# write CONFIG_TEXT to OUT/conf/IF.conf, run the inner script with ACTIONS (default: "up down").
quick_run() {
	local tool="$1" text="$2" out="$3" actions="${4:-up down}"
	local ns="wgx-quick-$$-$(( ++QUICK_NS_COUNT ))"
	QUICK_NETNS+=("$ns")
	mkdir -p "$out/conf" "$out/resolv" "$out/bin" "$out/markers"
	printf '%s\n' "$text" > "$out/conf/$QUICK_IF.conf"
	chmod 600 "$out/conf/$QUICK_IF.conf"
	chmod 700 "$out/conf"
	cat > "$out/bin/resolvconf" <<'STUB'
#!/bin/bash
# A stub: records what it is asked, never touches the real resolver.
dir="$QUICK_RESOLV_DIR"
echo "resolvconf $*" >> "$dir/log"
[[ -z ${QUICK_RESOLVCONF_FAILS:-} ]] || exit 1
case "$1" in
-a) mkdir -p "$dir/iface"; cat > "$dir/iface/$2" ;;
-d) rm -f "$dir/iface/$2" ;;
-l) cat "$dir/iface/$2" 2>/dev/null ;;
*) exit 1 ;;
esac
STUB
	chmod +x "$out/bin/resolvconf"
	[[ -z ${QUICK_NO_RESOLVCONF:-} ]] || rm "$out/bin/resolvconf"
	ip netns add "$ns"
	local rc=0
	# No system bus unless a test brings its own (DBUS_SYSTEM_BUS_ADDRESS in QUICK_EXTRA_ENV):
	# the host's systemd-resolved, if any, is never asked.
	timeout 25 ip netns exec "$ns" unshare -m --propagation private \
		env QUICK_RESOLV_DIR="$out/resolv" QUICK_MARKERS="$out/markers" \
		DBUS_SYSTEM_BUS_ADDRESS="unix:path=$out/no-system-bus" \
		WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go \
		WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 \
		${QUICK_EXTRA_ENV:-} \
		bash "$QUICK_PROGRAM_DIR/quick_inner.bash" "$tool" "$QUICK_IF" "$out" $actions \
		> "$out/inner.log" 2>&1 || rc=$?
	ip netns del "$ns" 2>/dev/null || true
	return $rc
}

# quick_tool NAME: the command for "wg-quick" or "wgx-quick".
quick_tool() {
	if [[ $1 == wgx-quick ]]; then echo "$WGX_BIN_DIR/wgx-quick"; else echo wg-quick; fi
}

# quick_compare A B WHAT: the captured state file WHAT must be identical in both runs.
QUICK_FAILURES=0
quick_compare() {
	local a="$1/$3" b="$2/$3"
	if ! diff -u "$a" "$b" > "$QUICK_TMP/diff" 2>&1; then
		echo "FAIL: $3 differs between $1 and $2:"
		cat "$QUICK_TMP/diff"
		QUICK_FAILURES=$((QUICK_FAILURES + 1))
	fi
}

quick_fail() {
	echo "FAIL: $*"
	QUICK_FAILURES=$((QUICK_FAILURES + 1))
}

quick_finish() {
	if [[ $QUICK_FAILURES -ne 0 ]]; then
		echo "$QUICK_FAILURES failure(s)"
		exit 1
	fi
	echo "ok"
	exit 0
}

# The state files compared between the tools after `up` (resolv.conf, the namespace's private
# /etc/resolv.conf, is compared too: with resolvconf present, neither tool touches it).
QUICK_STATE_FILES="addr mtu route4 route6 rule4 rule6 nft resolv resolv.conf showconf markers links"

# quick_residue DIR AFTER [TOOL]: the namespace after AFTER equals its state before anything
# ran (wg-quick, by design, leaves src_valid_mark set; wgx-quick restores it).
quick_residue() {
	local dir="$1" after="$2" tool="${3:-wgx-quick}" w
	for w in links addr route4 route6 rule4 rule6 nft resolv resolv.conf sockets records src_valid_mark; do
		[[ $tool == wg-quick && $w == src_valid_mark ]] && continue
		if ! diff -u "$dir/before/$w" "$dir/$after/$w" > "$QUICK_TMP/diff" 2>&1; then
			quick_fail "$tool left residue in $w after $after:"
			cat "$QUICK_TMP/diff"
		fi
	done
}

# quick_differential NAME CONFIG_TEXT: up and down with both tools; the state after up must
# be identical and down must leave nothing behind.
quick_differential() {
	local name="$1" text="$2" t w
	for t in wg-quick wgx-quick; do
		quick_run "$t" "$text" "$QUICK_TMP/$name/$t" || quick_fail "$name: $t run failed"
		local d="$QUICK_TMP/$name/$t"
		[[ $(cat "$d/rc-1-up" 2>/dev/null) == 0 ]] || { quick_fail "$name: $t up failed:"; cat "$d/stderr-1-up" "$d/inner.log"; }
		[[ $(cat "$d/rc-2-down" 2>/dev/null) == 0 ]] || { quick_fail "$name: $t down failed:"; cat "$d/stderr-2-down"; }
		quick_residue "$d" after-2-down "$t"
	done
	for w in $QUICK_STATE_FILES; do
		quick_compare "$QUICK_TMP/$name/wg-quick/after-1-up" "$QUICK_TMP/$name/wgx-quick/after-1-up" "$w"
	done
	# Every `ip` action wg-quick echoed, wgx-quick echoed too, in the same order.
	grep -E '^\[#\] ip ' "$QUICK_TMP/$name/wg-quick/stderr-1-up" > "$QUICK_TMP/echo-ref"
	grep -E '^\[#\] ip ' "$QUICK_TMP/$name/wgx-quick/stderr-1-up" > "$QUICK_TMP/echo-wgx"
	diff -u "$QUICK_TMP/echo-ref" "$QUICK_TMP/echo-wgx" > "$QUICK_TMP/diff" ||
		{ quick_fail "$name: echoed ip commands differ:"; cat "$QUICK_TMP/diff"; }
	echo "$name: compared"
}
