#!/bin/bash
# The slow paths stay tested: engine system tests run again with offloads switched off through
# WGX_ENGINE_DISABLE_OFFLOADS (the engine inherits it): every offload off for interop with
# wireguard-go, roaming, MAC1/replay and the moved device, then each offload off on its own for
# interop and the moved device (the fast path's two ends: a plain peer, and super-packets).
# Last, three crypto workers (WGX_ENGINE_CRYPTO_WORKERS), more than this machine may have cores:
# batches are then sealed out of order and opened on several threads, and must still leave in
# order and arrive intact (interop, and the 256 MB sha256 check).
dir=$(dirname "$0")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces, TUN devices)"; exit 77; }
run() {
    local off=$1 script=$2 what out rc
    what="$script with ${off:-no offload} off${WGX_ENGINE_CRYPTO_WORKERS:+ and $WGX_ENGINE_CRYPTO_WORKERS crypto workers}"
    out=$(WGX_ENGINE_DISABLE_OFFLOADS=$off "$dir/$script" 2>&1)
    rc=$?
    if [ $rc -eq 77 ]; then
        echo "# $what: skipped (${out##*$'\n'})"
        return 0
    fi
    if [ $rc -ne 0 ]; then
        echo "$out" | tail -n 15
        echo "FAIL: $what (exit $rc)"
        exit 1
    fi
    echo "# $what: passed"
}
for script in engine_interop_go.sh engine_roaming.sh engine_mac1_replay.sh engine_moved_device.sh; do
    run all "$script"
done
for off in tun-vnet tun-uso udp-gso udp-gro mmsg io-thread; do
    for script in engine_interop_go.sh engine_moved_device.sh; do
        run "$off" "$script"
    done
done
for script in engine_interop_go.sh engine_sha256.sh; do
    WGX_ENGINE_CRYPTO_WORKERS=3 run "" "$script"
done
echo "PASS: engine tests with offloads off, and with three crypto workers"
