#!/bin/bash
# The command line: usage, help, wrong arguments, missing files, bad names, the permission
# warning and `strip` give wg-quick's output and exit codes (program name normalised).
source "$(dirname "$0")/quick_lib.bash"
quick_init
cd "$QUICK_TMP"

mkdir -p open shut
chmod 755 open
chmod 700 shut
good="[Interface]
PrivateKey = $QUICK_PRIV # a comment
  Address = 192.0.2.1/24
DNS = 192.0.2.53
MTU = 1400
Table = off
PostUp = echo %i
SaveConfig = false
ListenPort = 51820

[Peer]
PublicKey = $QUICK_PEER1
AllowedIPs = 192.0.2.0/24
	Endpoint = 198.51.100.2:51820"
printf '%s\n' "$good" > open/wgq1.conf
chmod 644 open/wgq1.conf
printf '%s\n' "$good" > shut/wgq2.conf
chmod 600 shut/wgq2.conf
printf '%s\n' "$good" > open/this-name-is-too-long.conf
cp open/wgq1.conf open/bad.txt

check() { # check ARGS...: same stdout, stderr and exit code
	local t rc
	for t in wg-quick wgx-quick; do
		rc=0
		"$(quick_tool $t)" "$@" > "$t.out" 2> "$t.err" || rc=$?
		echo "$rc" > "$t.rc"
		sed -i 's/wgx-quick/wg-quick/g' "$t.err"
	done
	# The deliberate differences in the usage text: a note on strip's validation, and what
	# wgx-quick adds (one block, up to the last line).
	sed -i "/^  Unlike wg-quick's, .strip. validates the whole file/,+2d" wgx-quick.err
	sed -i "/^  Beyond wg-quick (see /,/^See /{/^See /!d}" wgx-quick.err
	for f in out err rc; do
		if ! diff -u "wg-quick.$f" "wgx-quick.$f" > diff; then
			quick_fail "wgx-quick $*: $f differs:"
			cat diff
		fi
	done
}

check
check --help
"$(quick_tool wgx-quick)" --help 2>&1 | grep -q "^  as FILE:LINE and the exit status is 1" ||
	quick_fail "wgx-quick --help does not explain strip's validation"
check -h
check help
check up
check bogus open/wgq1.conf
check up open/wgq1.conf extra
check up nonexistent-if
check up "$QUICK_TMP/open/nothere.conf"
check down open/bad.txt
check up open/this-name-is-too-long.conf
check strip open/wgq1.conf
check strip shut/wgq2.conf
quick_finish
