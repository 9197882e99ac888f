#!/usr/bin/env bash
# Hardening issue, item 6: the UAPI socket directory and socket file have wireguard-go's modes,
# under a permissive umask (000) and a strict one (077). Each engine runs in a private mount
# namespace with a fresh tmpfs on /run, so it creates /run/wireguard itself.
. "$(dirname "$0")/engine_lib.bash"
command -v wireguard-go >/dev/null || skip "no wireguard-go"
command -v unshare >/dev/null || skip "no unshare"
make_ns m NSM

# modes IMPL UMASK: "DIRMODE SOCKMODE" as the engine left them.
modes() {
    local bin=$1 mask=$2 ifn="wgxM$TAG"
    ip netns exec "$NSM" unshare -m --propagation private bash -c '
        mount -t tmpfs tmpfs /run || exit 1
        umask '"$mask"'
        WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 "$1" -f "$2" >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 100); do [ -S /run/wireguard/$2.sock ] && break; sleep 0.05; done
        stat -c "%a" /run/wireguard /run/wireguard/$2.sock 2>/dev/null | tr "\n" " "
        kill $pid; wait $pid 2>/dev/null' _ "$bin" "$ifn"
}
status=0
for mask in 000 022 077; do
    want=$(modes "$(command -v wireguard-go)" "$mask")
    got=$(modes "$ENGINE" "$mask")
    note "umask $mask: wireguard-go: dir, socket = ${want:-?}; wgx-engine: ${got:-?}"
    [ -n "$want" ] || fail "wireguard-go did not create its socket"
    if [ "$want" != "$got" ]; then note "FAIL: modes differ under umask $mask"; status=1; fi
done
((status == 0)) && echo "PASS: engine_socket_modes"
exit $status
