#!/bin/bash
# The slow paths stay tested: engine system tests run again with offloads switched off through
# WGX_ENGINE_DISABLE_OFFLOADS (the engine inherits it): every offload off for interop with
# wireguard-go, roaming, MAC1/replay and the moved device, then each offload off on its own for
# interop and the moved device (the fast path's two ends: a plain peer, and super-packets).
dir=$(dirname "$0")
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces, TUN devices)"; exit 77; }
run() {
    local off=$1 script=$2 out rc
    out=$(WGX_ENGINE_DISABLE_OFFLOADS=$off "$dir/$script" 2>&1)
    rc=$?
    if [ $rc -eq 77 ]; then
        echo "# $script with $off off: skipped (${out##*$'\n'})"
        return 0
    fi
    if [ $rc -ne 0 ]; then
        echo "$out" | tail -n 15
        echo "FAIL: $script with $off off (exit $rc)"
        exit 1
    fi
    echo "# $script with $off off: passed"
}
for script in engine_interop_go.sh engine_roaming.sh engine_mac1_replay.sh engine_moved_device.sh; do
    run all "$script"
done
for off in tun-vnet tun-uso udp-gso udp-gro mmsg io-thread; do
    for script in engine_interop_go.sh engine_moved_device.sh; do
        run "$off" "$script"
    done
done
echo "PASS: engine tests with offloads off"
