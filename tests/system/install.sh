#!/usr/bin/env bash
# `cmake --install` gives bin/wgx with wgx-quick and wgx-engine as links to it, the man pages,
# the bash completion and the systemd units; the installed tools work under their names.
set -u
build=$(dirname "$WGX_BIN_DIR")
dest=$(mktemp -d /tmp/wgx-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" --prefix /opt/wgx >"$dest.log" 2>&1 || {
	cat "$dest.log"; rm -f "$dest.log"; echo "FAIL: cmake --install failed"; exit 1; }
rm -f "$dest.log"
p=$dest/opt/wgx
fail=0
for f in bin/wgx share/man/man8/wgx.8 share/man/man8/wgx-quick.8 share/man/man8/wgx-engine.8 \
	share/bash-completion/completions/wgx lib/systemd/system/wgx-quick@.service \
	lib/systemd/system/wgx-reresolve@.service lib/systemd/system/wgx-reresolve@.timer \
	lib/systemd/system/wgx-quick.target; do
	[ -e "$p/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
for l in wgx-quick wgx-engine; do
	[ "$(readlink "$p/bin/$l")" = wgx ] || { echo "FAIL: bin/$l is not a link to wgx"; fail=1; }
done
key=$("$p/bin/wgx" genkey)
[ "$(echo "$key" | "$p/bin/wgx" pubkey)" = "$(echo "$key" | wg pubkey)" ] ||
	{ echo "FAIL: installed wgx pubkey differs from wg pubkey"; fail=1; }
"$p/bin/wgx-quick" --help 2>&1 | grep -q '^Usage: wgx-quick ' || { echo "FAIL: wgx-quick name"; fail=1; }
"$p/bin/wgx-engine" --version | grep -q 'wgx-engine' || { echo "FAIL: wgx-engine name"; fail=1; }
[ "$fail" = 0 ] && echo ok
exit "$fail"
