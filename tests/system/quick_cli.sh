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

compare() { # compare ARGS...: runs both tools, normalising the program name
	local t rc
	for t in wg-quick wgx-quick; do
		rc=0
		"$(quick_tool $t)" "$@" > "$t.out" 2> "$t.err" || rc=$?
		echo "$rc" > "$t.rc"
		sed -i 's/wgx-quick/wg-quick/g' "$t.err"
	done
}
same() { # same SUFFIX...: these outputs of the last compare are identical
	local f
	for f in "$@"; do
		if ! diff -u "wg-quick.$f" "wgx-quick.$f" > diff; then
			quick_fail "wgx-quick $args: $f differs:"
			cat diff
		fi
	done
}
check() { # check ARGS...: same stdout, stderr and exit code
	args="$*"
	compare "$@"
	same out err rc
}
check_usage() { # check_usage ARGS...: the usage text: same exit code, empty stdout, and the
	# same first line (the `Usage:' line scripts match); the rest is wgx-quick's own text
	args="$*"
	compare "$@"
	head -1 wg-quick.err > wg-quick.usage
	head -1 wgx-quick.err > wgx-quick.usage
	same out rc usage
	grep -q '^Usage: wg-quick \[ up | down | save | strip \] \[ CONFIG_FILE | INTERFACE \]$' \
		wgx-quick.usage || quick_fail "wgx-quick $args: no Usage line"
	grep -q '^See wg-quick(8) for each key and for every difference from wg-quick(8)\.$' \
		wgx-quick.err || quick_fail "wgx-quick $args: not wgx-quick's own usage text"
}

check_usage
check_usage --help
"$(quick_tool wgx-quick)" --help 2>&1 | grep -q " as FILE:LINE and the exit status is 1" ||
	quick_fail "wgx-quick --help does not explain strip's validation"
# wgx-quick's own subcommands are in the text's "Beyond wg-quick" block, not in its Usage line.
for sub in addpeer showpeer rmpeer reload; do
	"$(quick_tool wgx-quick)" --help 2>&1 | sed -n '/^Beyond wg-quick/,$p' | grep -q "^  $sub CONFIG" ||
		quick_fail "wgx-quick --help does not list $sub"
done
check_usage -h
check_usage help
check_usage up
check_usage bogus open/wgq1.conf
check_usage up open/wgq1.conf extra
check up nonexistent-if
check up "$QUICK_TMP/open/nothere.conf"
check down open/bad.txt
check up open/this-name-is-too-long.conf
check strip open/wgq1.conf
check strip shut/wgq2.conf
quick_finish
