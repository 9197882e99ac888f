#!/usr/bin/env bash
# The kernel backend's live unit tests (tests/ipc/genetlink_backend_test.cpp) inside the VM,
# where the wireguard module is loaded: ENODEV / EOPNOTSUPP as wg reports them, and the policy
# dump of the real family (feature detection for WGALLOWEDIP_F_REMOVE_ME).
. "$(dirname "$0")/common.bash"
TEST_IPC=${WGX_BIN_DIR}/../tests/test_ipc
if [ "${WGX_IN_VM:-}" != 1 ]; then
    [ -x "$TEST_IPC" ] || skip "no test_ipc at $TEST_IPC (build it first)"
    kernel_boot "$0" 300
fi
check "wireguard module loaded" [ -d /sys/module/wireguard ]
check "genetlink backend tests" "$TEST_IPC" -tc='genetlink backend*,genetlink features*' -s
finish
