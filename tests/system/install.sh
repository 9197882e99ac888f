#!/usr/bin/env bash
# `cmake --install` gives bin/wgx with wgx-quick and wgx-engine as links to it, the man pages,
# the completions of each shell for each name, the systemd units, the examples and the
# package's documentation; the installed tools work under their names.
set -u
build=${WGX_BINARY_DIR:-$(dirname "$WGX_BIN_DIR")}
dest=$(mktemp -d /tmp/wgx-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" --prefix /opt/wgx >"$dest.log" 2>&1 || {
	cat "$dest.log"; rm -f "$dest.log"; echo "FAIL: cmake --install failed"; exit 1; }
rm -f "$dest.log"
p=$dest/opt/wgx
fail=0
files=(bin/wgx lib/systemd/system/wgx-quick@.service lib/systemd/system/wgx-quick.target
	lib/systemd/system/wgx-reresolve@.service lib/systemd/system/wgx-reresolve@.timer
	share/zsh/vendor-completions/_wgx share/doc/wgx/copyright share/doc/wgx/changelog.Debian.gz
	share/doc/wgx/examples/road-warrior.conf share/doc/wgx/examples/server.conf)
for name in wgx wgx-quick wgx-engine; do
	files+=("share/man/man8/$name.8" "share/bash-completion/completions/$name"
		"share/fish/vendor_completions.d/$name.fish")
done
for f in "${files[@]}"; do
	[ -e "$p/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
for l in wgx-quick wgx-engine; do
	[ "$(readlink "$p/bin/$l")" = wgx ] || { echo "FAIL: bin/$l is not a link to wgx"; fail=1; }
done
grep -q "^ExecStart=/opt/wgx/bin/wgx-quick up %i" "$p/lib/systemd/system/wgx-quick@.service" ||
	{ echo "FAIL: the unit does not run the installed wgx-quick"; fail=1; }
head -n 1 "$p/share/zsh/vendor-completions/_wgx" | grep -qx '#compdef wgx wgx-quick wgx-engine' ||
	{ echo "FAIL: _wgx does not bind the three names"; fail=1; }
version=$("$WGX" --version | sed -E 's/^wgx v([^ ]+) .*/\1/')
zcat "$p/share/doc/wgx/changelog.Debian.gz" | head -n 1 | grep -qF "wgx ($version)" ||
	{ echo "FAIL: the changelog's top entry is not version $version"; fail=1; }
key=$("$p/bin/wgx" genkey)
[ "$(echo "$key" | "$p/bin/wgx" pubkey)" = "$(echo "$key" | wg pubkey)" ] ||
	{ echo "FAIL: installed wgx pubkey differs from wg pubkey"; fail=1; }
"$p/bin/wgx-quick" --help 2>&1 | grep -q '^Usage: wgx-quick ' || { echo "FAIL: wgx-quick name"; fail=1; }
"$p/bin/wgx-quick" --version | grep -qF "wgx-quick v$version" || { echo "FAIL: wgx-quick --version"; fail=1; }
"$p/bin/wgx-engine" --version | grep -qF "wgx-engine v$version" || { echo "FAIL: wgx-engine --version"; fail=1; }
[ "$fail" = 0 ] && echo ok
exit "$fail"
