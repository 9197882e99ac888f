# Shared by tests/kernel/*.sh (sourced, not a test itself). A kernel test is one script run
# twice: on the host it prepares inputs and boots the VM once (tools/vm) running itself; inside
# the VM (WGX_IN_VM=1, root, Debian's kernel with the wireguard module) it runs its batch of
# checks. Missing qemu / kernel image / busybox-static: one line and exit 77 (skipped).
#
# Host side:   kernel_boot [TIMEOUT]  -- after the caller wrote its inputs into $KWORK
# VM side:     check/same/fail helpers; finish prints the summary and sets the exit status.

set -u

SRC=${WGX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ -z "${WGX:-}" ]; then WGX=${WGX_BIN_DIR:-$SRC/build/src}/wgx; fi
WGX_BIN_DIR=${WGX_BIN_DIR:-$(dirname "$WGX")}
export WGX WGX_BIN_DIR WGX_SOURCE_DIR=$SRC

skip() { echo "SKIP: $*"; exit 77; }
note() { echo "# $*"; }

if [ "${WGX_IN_VM:-}" != 1 ]; then
    [ -x "$WGX" ] || skip "no wgx at $WGX (build first)"
    "$SRC/tools/vm" check >/dev/null || exit 77
    # Inputs shared with the VM: under the build dir (the VM sees the host's files read-only,
    # except /tmp and /run, which are its own).
    WGX_KWORK=$(mktemp -d "$WGX_BIN_DIR/kernel-test.XXXXXX")
    export WGX_KWORK
    trap 'rm -rf "$WGX_KWORK"' EXIT
fi

# kernel_boot SCRIPT [TIMEOUT]: runs SCRIPT inside the VM and exits with its status.
kernel_boot() {
    local started=$SECONDS rc
    "$SRC/tools/vm" run --timeout "${2:-540}" -- bash "$1"
    rc=$?
    echo "# VM run: $((SECONDS - started)) s, status $rc"
    exit "$rc"
}

# ---- inside the VM ----
FAILS=0
PASSES=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); [ -n "${VERBOSE:-}" ] && echo "ok: $*"; return 0; }

# same LABEL EXPECTED-FILE ACTUAL-FILE: byte-identical, else a diff.
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1 differs (expected vs wgx):"
        diff "$2" "$3" | head -20
    fi
}

# check LABEL CMD...: CMD must succeed.
check() {
    local label=$1; shift
    if "$@"; then pass "$label"; else fail "$label"; fi
}

finish() {
    echo "# $PASSES checks passed, $FAILS failed"
    [ "$FAILS" = 0 ] && echo PASS && exit 0
    exit 1
}
