#!/usr/bin/env bash
# tools/check_layering must catch what it exists for: on a copy of the tree with one upward
# include planted, it fails and names the file and line; with the matching link line added it
# passes again; a folder with sources but no link line fails too.
set -euo pipefail
src_dir=${WGX_SOURCE_DIR:?}
check="$src_dir/tools/check_layering"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src_dir/src" "$tmp/src"

fail() { echo "FAIL: $*" >&2; exit 1; }

"$check" "$tmp" >/dev/null || fail "the unmodified copy does not pass"

# crypto/ is level 1 and may use base only: an include of uapi/ is upward.
target=$tmp/src/crypto/key.cpp
line=$(($(grep -n '^#include' "$target" | tail -1 | cut -d: -f1) + 1))
sed -i "${line}i #include \"uapi/server.hpp\"" "$target"
set +e
out=$("$check" "$tmp" 2>&1)
rc=$?
set -e
((rc == 1)) || fail "planted include: exit $rc, expected 1 ($out)"
grep -qx "src/crypto/key.cpp:$line: includes uapi/ but wgx_crypto's link line in src/CMakeLists.txt does not name wgx_uapi" <<<"$out" ||
	fail "planted include not reported at src/crypto/key.cpp:$line: $out"
(($(grep -c '^src/' <<<"$out") == 1)) || fail "more than the planted violation reported: $out"

# Naming the folder on the link line is what makes an include legal.
sed -i 's/^target_link_libraries(wgx_crypto PUBLIC wgx_base/& wgx_uapi/' "$tmp/src/CMakeLists.txt"
"$check" "$tmp" >/dev/null || fail "still failing after wgx_uapi was added to wgx_crypto's link line"

# A new folder must enter the link lines together with its code.
mkdir "$tmp/src/planted"
echo '#include "base/bytes.hpp"' >"$tmp/src/planted/view.hpp"
set +e
out=$("$check" "$tmp" 2>&1)
rc=$?
set -e
((rc == 1)) && grep -q '^src/planted: has sources but no target_link_libraries(wgx_planted' <<<"$out" ||
	fail "a folder without a link line was not reported (exit $rc): $out"
echo "check_layering: planted violations caught"
