#!/usr/bin/env bash
# The Debian package end to end, on this machine: tools/package builds wgx_VERSION_ARCH.deb
# from this build tree; `apt-get install ./wgx_*.deb` installs it (dpkg -i when apt-get cannot
# run offline and the dependencies are already there); the installed commands, man pages and
# completions are where a user finds them; `dpkg --purge` removes every file again. The machine
# is put back as it was even when a check fails: the package purged, and any package the
# install pulled in removed again.
set -u
if [[ $(id -u) -ne 0 ]]; then echo "skipped: needs root (installs a package)"; exit 77; fi
for t in dpkg apt-get cpack dpkg-shlibdeps man; do
	command -v "$t" >/dev/null || { echo "skipped: $t not installed"; exit 77; }
done
if dpkg-query -W -f='${Status}' wgx 2>/dev/null | grep -q 'installed'; then
	echo "skipped: a wgx package is already installed on this machine; not touching it"
	exit 77
fi
build=${WGX_BINARY_DIR:?}
tmp=$(mktemp -d /tmp/wgx-package-test.XXXXXX)
packages() { dpkg-query -W -f='${Package}:${Architecture} ${Status}\n' | awk '$4 == "installed" {print $1}' | sort; }
apt_lock=(-o DPkg::Lock::Timeout=300)
pulled_in=""

restore() {
	if dpkg-query -W -f='${Status}' wgx 2>/dev/null | grep -q 'installed\|config-files\|half'; then
		dpkg --purge wgx >/dev/null 2>&1 || true
	fi
	if [[ -n $pulled_in ]]; then
		echo "removing what the install pulled in: $pulled_in"
		DEBIAN_FRONTEND=noninteractive apt-get "${apt_lock[@]}" purge -y -qq $pulled_in >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap restore EXIT
fail=0
check() { "$@" || { echo "FAIL: $*"; fail=1; }; }

version=$("$WGX" --version | sed -E 's/^wgx v([^ ]+) .*/\1/')
arch=$(dpkg --print-architecture)
WGX_BUILD_DIR=$build "$WGX_SOURCE_DIR/tools/package" "$tmp/out" >"$tmp/package.log" 2>&1 ||
	{ cat "$tmp/package.log"; echo "FAIL: tools/package failed"; exit 1; }
deb=$tmp/out/wgx_${version}_$arch.deb
[[ -f $deb ]] || { ls "$tmp/out"; echo "FAIL: no $(basename "$deb")"; exit 1; }

# Its control fields: the version, and Depends computed from the binary's libraries.
check test "$(dpkg-deb -f "$deb" Version)" = "$version"
depends=$(dpkg-deb -f "$deb" Depends)
# What wgx opens with dlopen (an nft step, --qr, the resolved DNS backend, libcrypto) is named by
# hand.
for lib in libc6 libnftables1 libqrencode4 libssl3 libsystemd0; do
	[[ $depends == *"$lib"* ]] || { echo "FAIL: Depends lacks $lib: $depends"; fail=1; }
done
# Every shared library the packaged binary needs comes from a package that Depends names
# (what is linked statically needs none).
mkdir -p "$tmp/unpacked"
dpkg-deb -x "$deb" "$tmp/unpacked"
for soname in $(objdump -p "$tmp/unpacked/usr/bin/wgx" | awk '$1 == "NEEDED" { print $2 }'); do
	path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64|64bit/ { print $NF; exit }')
	[[ -n $path ]] || path=$(ldconfig -p | awk -v s="$soname" '$1 == s { print $NF; exit }')
	pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
	[[ -n $pkg ]] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
	[[ -n $pkg && $depends == *"$pkg"* ]] ||
		{ echo "FAIL: wgx needs $soname (package ${pkg:-unknown}), not in Depends: $depends"; fail=1; }
done
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's:^\./:/:; s:/$::' | sort >"$tmp/contents"

# Only what this install adds is taken out again (the lock keeps other installs out meanwhile).
packages >"$tmp/before"
if ! DEBIAN_FRONTEND=noninteractive apt-get "${apt_lock[@]}" install -y -qq --no-install-recommends \
	"$deb" >"$tmp/apt.log" 2>&1; then
	echo "apt-get install failed (offline?), trying dpkg -i:"
	tail -n 3 "$tmp/apt.log"
	dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; echo "FAIL: dpkg -i"; exit 1; }
fi
packages >"$tmp/after"
pulled_in=$(comm -13 "$tmp/before" "$tmp/after" | grep -v '^wgx:' | cut -d: -f1 | tr '\n' ' ')
[[ -z $pulled_in ]] || echo "note: the install also brought in $pulled_in"

check test "$(/usr/bin/wgx --version)" = "$("$WGX" --version)"
for name in wgx-quick wgx-engine; do
	/usr/bin/$name --version | grep -qF "v$version" || { echo "FAIL: $name --version"; fail=1; }
	[[ $(readlink /usr/bin/$name) == wgx ]] || { echo "FAIL: /usr/bin/$name is not a link to wgx"; fail=1; }
done
for name in wgx wgx-quick wgx-engine; do
	page=$(man -w "$name" 2>/dev/null)
	[[ $page == /usr/share/man/man8/$name.8* ]] || { echo "FAIL: man -w $name gives '$page'"; fail=1; }
	check test -f "/usr/share/bash-completion/completions/$name"
	check test -f "/usr/share/fish/vendor_completions.d/$name.fish"
done
check test -f /usr/share/zsh/vendor-completions/_wgx
check test -f /usr/lib/systemd/system/wgx-quick@.service
check test -f /usr/share/doc/wgx/copyright
check test -f /usr/share/doc/wgx/changelog.Debian.gz
# bash finds the installed completion by name, as an interactive shell would.
out=$(bash --norc -c 'source /usr/share/bash-completion/bash_completion
	__load_completion wgx && complete -p wgx' 2>&1)
[[ $out == *"-F _wgx wgx"* ]] || { echo "FAIL: bash-completion does not load wgx's completion: $out"; fail=1; }
key=$(wgx genkey)
check test "$(echo "$key" | /usr/bin/wgx pubkey)" = "$(echo "$key" | wg pubkey)"

dpkg -r wgx >/dev/null 2>&1 || { echo "FAIL: dpkg -r wgx"; fail=1; }
dpkg --purge wgx >/dev/null 2>&1 || { echo "FAIL: dpkg --purge wgx"; fail=1; }
dpkg-query -W -f='${Status}' wgx 2>/dev/null | grep -q 'installed\|config-files' &&
	{ echo "FAIL: wgx still known to dpkg after purge"; fail=1; }
# Every file the package shipped is gone (directories shared with other packages stay).
while read -r f; do
	[[ -z $f || -d $f ]] && continue
	[[ -e $f || -L $f ]] && { echo "FAIL: $f left behind"; fail=1; }
done <"$tmp/contents"
[[ -e /usr/share/doc/wgx ]] && { echo "FAIL: /usr/share/doc/wgx left behind"; fail=1; }
((fail == 0)) && echo ok
exit $fail
