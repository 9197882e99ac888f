# Shared preamble of the wgx-quick feature tests (sourced, not a test itself): skips (exit 77)
# without root, without a tool it needs or without the built wgx-quick, then re-runs the test in
# a private mount namespace with fresh /run/wireguard and /run/wgx-quick (neither is per network
# namespace). Usage: quick_private_setup TOOL... ; afterwards $Q is the wgx-quick to test.
quick_private_setup() {
	if [[ $(id -u) -ne 0 ]]; then echo "skipped: needs root (network namespaces)"; exit 77; fi
	local t
	for t in ip unshare "$@"; do
		command -v "$t" >/dev/null || { echo "skipped: $t not installed"; exit 77; }
	done
	[[ -x ${WGX_BIN_DIR:-}/wgx-quick ]] || { echo "skipped: WGX_BIN_DIR/wgx-quick missing"; exit 77; }
	if [[ -z ${WGX_QUICK_PRIVATE_MOUNTS:-} ]]; then
		exec unshare -m --propagation private env WGX_QUICK_PRIVATE_MOUNTS=1 "$0" "${QUICK_ARGS[@]}"
	fi
	mkdir -p /run/wireguard /run/wgx-quick
	mount -t tmpfs -o mode=0755 tmpfs /run/wireguard
	mount -t tmpfs -o mode=0755 tmpfs /run/wgx-quick
	Q="$WGX_BIN_DIR/wgx-quick"
}
