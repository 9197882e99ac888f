# Shared by tests/system/observe_*.sh (sourced, not a test itself): re-runs the test in a private
# mount namespace with its own /run/wireguard, /run/wgx-quick (records, runtime files) and
# /etc/wireguard, so that `wgx show all` sees only this test's interfaces and the host's files
# stay untouched; then the engine_lib.bash helpers (namespaces, engines, cleanup by PID).

if [ -z "${WGX_OBSERVE_PRIVATE:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network and mount namespaces)"; exit 77; }
    command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
    export WGX_OBSERVE_PRIVATE=1
    exec unshare -m --propagation private bash "$0" "$@"
fi
for dir in /run/wireguard /run/wgx-quick /etc/wireguard; do
    mkdir -p "$dir" && mount -t tmpfs -o mode=0755 tmpfs "$dir" || { echo "FAIL: tmpfs on $dir"; exit 1; }
done

source "$(dirname "${BASH_SOURCE[0]}")/engine_lib.bash"

WGX=${WGX:-$WGX_BIN_DIR/wgx}
SCHEMA=${WGX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/docs/wgx-show.schema.json

# wgx_in NS ARGS...: the built wgx inside NS.
wgx_in() { local ns=$1; shift; ip netns exec "$ns" "$WGX" "$@"; }

# quick_up NS CONFIG: wgx-quick up with wgx-engine; `down` is run on exit.
declare -a QUICK_UP=()
quick_up() {
    ip netns exec "$1" env WGX_QUICK_USERSPACE_IMPLEMENTATION="$ENGINE" \
        "$WGX_BIN_DIR/wgx-quick" up "$2" >"$TMP/quick-up.log" 2>&1 ||
        { cat "$TMP/quick-up.log"; fail "wgx-quick up $2"; }
    QUICK_UP+=("$1 $2")
}
observe_cleanup() {
    local entry
    for entry in "${QUICK_UP[@]}"; do
        # shellcheck disable=SC2086
        set -- $entry
        ip netns exec "$1" "$WGX_BIN_DIR/wgx-quick" down "$2" >/dev/null 2>&1
    done
    cleanup
}
trap observe_cleanup EXIT

# json_check SCHEMA_DEF FILE: validates FILE against the schema's $defs entry (or "" for the
# whole schema) with python3-jsonschema; prints the error and fails otherwise.
json_check() {
    /usr/bin/python3 - "$SCHEMA" "$1" "$2" <<'PY' || fail "schema check of $2 (${1:-document})"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[3]))
if sys.argv[2]:
    schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/" + sys.argv[2]}
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(doc)
PY
}
