#!/usr/bin/env bash
# Run by a non-root user, wgx-quick re-executes itself through sudo as wg-quick's auto_su does:
# `sudo -p "<prog> must be run as root. Please enter the password for %u to continue: " -- <self>
# ARGS...`. A stub sudo on PATH records what it is given, so nothing runs as root. Without sudo
# on PATH, one clear line and exit 1.
[ "$(id -u)" = 0 ] || { echo "skipped: needs root (to switch to an unprivileged user)"; exit 77; }
command -v setpriv >/dev/null || { echo "skipped: setpriv (util-linux) missing"; exit 77; }
set -u
tmp=$(mktemp -d /tmp/wgx-quick-sudo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -m 755 "$tmp/bin" "$tmp/stub"
# A copy the unprivileged user can execute wherever the build tree lives.
cp "$WGX" "$tmp/bin/wgx"
ln -s wgx "$tmp/bin/wgx-quick"
cat > "$tmp/stub/sudo" <<STUB
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done > "$tmp/out/args"
exit 42
STUB
chmod 755 "$tmp/stub/sudo"
mkdir -m 777 "$tmp/out"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- env PATH="$1" "${@:2}"; }

fail=0
rc=0
as_nobody "$tmp/stub:/usr/bin:/bin" "$tmp/bin/wgx-quick" up /etc/wireguard/wgxsudo0.conf || rc=$?
expected="-p
wgx-quick must be run as root. Please enter the password for %u to continue: 
--
$tmp/bin/wgx-quick
up
/etc/wireguard/wgxsudo0.conf"
if [ "$rc" != 42 ]; then
	echo "FAIL: expected sudo's exit status 42 to pass through, got $rc"
	fail=1
fi
if [ "$(cat "$tmp/out/args" 2>/dev/null)" != "$expected" ]; then
	echo "FAIL: sudo got:"
	cat "$tmp/out/args" 2>/dev/null
	fail=1
fi

rc=0
err=$(as_nobody "/nonexistent" "$tmp/bin/wgx-quick" down wgxsudo0 2>&1) || rc=$?
if [ "$rc" != 1 ] || [ "$err" != "wgx-quick: must be run as root, and sudo is not installed" ]; then
	echo "FAIL: without sudo: rc=$rc, stderr: $err"
	fail=1
fi
[ "$fail" = 0 ] && echo ok
exit "$fail"
