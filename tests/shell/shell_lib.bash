# Shared by tests/shell/completion_*.sh: what the completions must offer, derived from the
# built binary's own usage texts (generated from the command tables, src/cli/command_table.cpp
# and src/quick/command_table.cpp), so a command or keyword added later fails these tests until
# the completions know it. Sourced, not run; the ctest glob only picks up *.sh and *.py.
set -u
SHELL_FAILED=0

shell_fail() {
	echo "FAIL: $*"
	SHELL_FAILED=1
}

shell_require() {
	[[ -n ${WGX:-} && -x ${WGX:-} ]] || { echo "skipped: WGX (the built wgx) not set"; exit 77; }
	[[ -x ${WGX_BIN_DIR:-}/wgx-quick ]] || { echo "skipped: $WGX_BIN_DIR/wgx-quick missing"; exit 77; }
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "skipped: $t not installed (tools/bootstrap installs it)"; exit 77; }
	done
}

# Runs this script again in a private mount namespace with a tmpfs on /etc/wireguard holding
# one configuration, wgtest.conf, so that the config-name completions have a known answer
# without touching the machine's own files. Root uses `unshare -m`, others a user namespace.
shell_isolate() {
	[[ -n ${SHELL_ISOLATED:-} ]] && return
	[[ -d /etc/wireguard ]] || { echo "skipped: /etc/wireguard missing (wireguard-tools creates it)"; exit 77; }
	local how=(-m --propagation private)
	((EUID == 0)) || how=(-r "${how[@]}")
	unshare "${how[@]}" true 2>/dev/null || { echo "skipped: cannot create a private mount namespace"; exit 77; }
	SHELL_ISOLATED=1 exec unshare "${how[@]}" bash -c \
		'mount -t tmpfs -o mode=0700 tmpfs /etc/wireguard && : > /etc/wireguard/wgtest.conf && exec "$0" "$@"' \
		"$0" "$@"
}

# A scratch directory with the fake wgx first in PATH, and a working directory holding one
# config file, a file of another kind and a subdirectory.
shell_setup() {
	SHELL_TMP=$(mktemp -d /tmp/wgx-shell-test.XXXXXX)
	trap 'rm -rf "$SHELL_TMP"' EXIT
	mkdir -p "$SHELL_TMP/bin" "$SHELL_TMP/cwd/sub"
	ln -s "$WGX_SOURCE_DIR/tests/support/fake_wgx" "$SHELL_TMP/bin/wgx"
	ln -s "$WGX_BIN_DIR/wgx" "$SHELL_TMP/bin/wgx-quick"
	ln -s "$WGX_BIN_DIR/wgx" "$SHELL_TMP/bin/wgx-engine"
	: > "$SHELL_TMP/cwd/site.conf"
	: > "$SHELL_TMP/cwd/notes.txt"
	export PATH="$SHELL_TMP/bin:$PATH" WGX
	export FAKE_WGX_INTERFACES="wgt0 wgt1"
	export FAKE_WGX_PEERS="xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0="
	# The first peer is named (a "# Name =" line in its section), the second is not.
	export FAKE_WGX_NAMES="laptop -"
	cd "$SHELL_TMP/cwd" || exit 1
}

# The keywords of a usage line: its literal words and --options, without <placeholders>.
usage_keywords() {
	sed -E 's/^Usage: [^ ]+ [^ ]+//; s/<[^>]*>//g' | tr -s '[]{}|,. ' '\n' | grep -E '^(--?)?[a-z][a-z-]*$'
}

# wgx's subcommands: the table as `wgx help --all` lists it (wg's, then wgx's own).
wgx_subcommands() { "$WGX" help --all | sed -n -E 's/^  ([a-z][a-z-]*): .*/\1/p'; }
# The --options of a subcommand's usage line (`wgx CMD --help`, from the command table).
wgx_command_options() { "$WGX" "$1" --help 2>&1 | head -n 1 | usage_keywords | grep -E '^--'; }
# `show`'s field selectors: the words after `interfaces` in its usage line.
wgx_show_fields() { "$WGX" show --help 2>&1 | usage_keywords | sed '1,/^interfaces$/d'; }
# `set`'s keywords for the interface (before `peer`) and for a peer (after it).
wgx_set_interface_keywords() { "$WGX" set 2>&1 | usage_keywords | sed '/^peer$/,$d'; }
wgx_set_peer_keywords() { "$WGX" set 2>&1 | usage_keywords | sed '1,/^peer$/d'; }
# wgx-quick's subcommands: the alternatives of its usage line (wg-quick's), then its own from
# the usage text's "Subcommands beyond wg-quick's:" block ("  NAME CONFIG ...").
wgx_quick_subcommands() {
	local usage
	usage=$("$WGX_BIN_DIR/wgx-quick" --help 2>&1)
	head -n 1 <<<"$usage" | sed -E 's/^Usage: [^ ]+ \[ ([^]]*) \].*/\1/' | tr -d ' ' | tr '|' '\n'
	sed -n '/^Subcommands beyond wg-quick/,/^$/p' <<<"$usage" | sed -n -E 's/^  ([a-z]+) CONFIG.*/\1/p'
}
# wgx's own subcommands for what wgx-quick adds to the files (not in `wgx --help`).
wgx_quick_file_subcommands() { "$WGX" help --all | sed -n -E 's/^  (allowedips|reresolve): .*/\1/p'; }
# wgx-engine's options: those of its usage line, and --help and --version.
wgx_engine_options() {
	{ "$WGX_BIN_DIR/wgx-engine" --help | sed -E 's/^Usage: [^ ]+//' | grep -oE -- '(^|[ [/])--?[a-z][a-z-]*' |
		tr -d ' [/'; printf '%s\n' --help --version; }
}

# expect_set LINE ACTUAL EXPECTED: the candidates (one per line) are exactly the expected ones.
expect_set() {
	local got want
	got=$(printf '%s\n' "$2" | tr ' ' '\n' | sed '/^$/d' | sort -u)
	want=$(printf '%s\n' "$3" | tr ' ' '\n' | sed '/^$/d' | sort -u)
	[[ $got == "$want" ]] || shell_fail "'$1<TAB>' offers [$(echo $got)], expected [$(echo $want)]"
}
# expect_has LINE ACTUAL WORD... / expect_lacks: single candidates in or out.
expect_has() {
	local line=$1 got=$2 w
	shift 2
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || shell_fail "'$line<TAB>' does not offer $w (offers: $(echo $got))"
	done
}
expect_lacks() {
	local line=$1 got=$2 w
	shift 2
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" && shell_fail "'$line<TAB>' offers $w"
	done
	return 0
}

# The cases every shell must pass. `complete_line LINE` (defined by each test) prints the
# candidates for LINE, one per line, with any directory suffix "/" removed.
shell_run_cases() {
	local sub fields ifkw peerkw quick all=""
	sub=$(wgx_subcommands)
	[[ -n $sub ]] || shell_fail "wgx --help lists no subcommands"
	fields=$(wgx_show_fields)
	[[ -n $fields ]] || shell_fail "no show fields in wgx show's usage"
	ifkw=$(wgx_set_interface_keywords)
	peerkw=$(wgx_set_peer_keywords)
	quick=$(wgx_quick_subcommands)
	[[ -n $quick ]] || shell_fail "no subcommands in wgx-quick's usage"

	expect_set "wgx " "$(complete_line 'wgx ')" "$sub"$'\nhelp\nquick\nengine\n'"$(wgx_quick_file_subcommands)"
	expect_set "wgx sh" "$(complete_line 'wgx sh')" "$(grep '^sh' <<<"$sub")"
	expect_set "wgx show " "$(complete_line 'wgx show ')" "$FAKE_WGX_INTERFACES all interfaces"
	expect_set "wgx show wgt0 " "$(complete_line 'wgx show wgt0 ')" "$fields"
	expect_set "wgx show interfaces " "$(complete_line 'wgx show interfaces ')" ""
	expect_set "wgx showconf " "$(complete_line 'wgx showconf ')" "$FAKE_WGX_INTERFACES"
	expect_set "wgx syncconf " "$(complete_line 'wgx syncconf ')" "$FAKE_WGX_INTERFACES"
	expect_has "wgx setconf wgt0 " "$(complete_line 'wgx setconf wgt0 ')" site.conf notes.txt sub
	expect_set "wgx set wgt0 " "$(complete_line 'wgx set wgt0 ')" "$ifkw"$'\npeer'
	expect_set "wgx set wgt0 listen-port 1 " "$(complete_line 'wgx set wgt0 listen-port 1 ')" \
		"$(grep -vx listen-port <<<"$ifkw")"$'\npeer'
	expect_set "wgx set wgt0 peer " "$(complete_line 'wgx set wgt0 peer ')" "$FAKE_WGX_PEERS laptop"
	local p1=${FAKE_WGX_PEERS%% *}
	expect_set "wgx set wgt0 peer P " "$(complete_line "wgx set wgt0 peer $p1 ")" "$peerkw"$'\npeer'
	expect_set "wgx set wgt0 peer P endpoint E " \
		"$(complete_line "wgx set wgt0 peer $p1 endpoint 192.0.2.1:51820 ")" \
		"$(grep -vx endpoint <<<"$peerkw")"$'\npeer'
	expect_set "wgx set wgt0 peer P remove " "$(complete_line "wgx set wgt0 peer $p1 remove ")" "peer"
	expect_set "wgx set wgt0 fwmark " "$(complete_line 'wgx set wgt0 fwmark ')" "off"
	expect_has "wgx set wgt0 private-key " "$(complete_line 'wgx set wgt0 private-key ')" site.conf sub
	expect_set "wgx genkey " "$(complete_line 'wgx genkey ')" ""
	expect_set "wgx help " "$(complete_line 'wgx help ')" "--all"

	# wgx's own: show's flags, and the subcommands that watch and diagnose interfaces.
	local show_flags="--json --names --stale-after --format=json --format=prometheus"
	expect_set "wgx show wgt0 -" "$(complete_line 'wgx show wgt0 -')" "$show_flags"
	expect_set "wgx show -" "$(complete_line 'wgx show -')" "$show_flags"
	expect_set "wgx show --json " "$(complete_line 'wgx show --json ')" "$FAKE_WGX_INTERFACES all interfaces"
	expect_set "wgx show --names wgt0 " "$(complete_line 'wgx show --names wgt0 ')" "$fields"
	expect_set "wgx show wgt0 --stale-after " "$(complete_line 'wgx show wgt0 --stale-after ')" ""
	expect_set "wgx show wgt0 --json " "$(complete_line 'wgx show wgt0 --json ')" ""
	expect_set "wgx show --format=prometheus wgt0 " "$(complete_line 'wgx show --format=prometheus wgt0 ')" ""
	expect_set "wgx show --stale-after 60 wgt0 " "$(complete_line 'wgx show --stale-after 60 wgt0 ')" "$fields"
	expect_set "wgx do" "$(complete_line 'wgx do')" "doctor"
	local cmd
	for cmd in metrics top route doctor; do
		expect_set "wgx $cmd -" "$(complete_line "wgx $cmd -")" "$(wgx_command_options "$cmd")"
	done
	expect_has "wgx top " "$(complete_line 'wgx top ')" $FAKE_WGX_INTERFACES
	expect_set "wgx top wgt0 -" "$(complete_line 'wgx top wgt0 -')" "--once --stale-after"
	expect_set "wgx top --once -" "$(complete_line 'wgx top --once -')" "--stale-after"
	expect_set "wgx route 192.0.2.1 -" "$(complete_line 'wgx route 192.0.2.1 -')" "--from --mark --json"
	expect_set "wgx route 192.0.2.1 --json --from 192.0.2.2 -" \
		"$(complete_line 'wgx route 192.0.2.1 --json --from 192.0.2.2 -')" "--mark"
	expect_set "wgx route 192.0.2.1 --mark " "$(complete_line 'wgx route 192.0.2.1 --mark ')" ""
	expect_has "wgx doctor " "$(complete_line 'wgx doctor ')" $FAKE_WGX_INTERFACES
	expect_set "wgx doctor wgt0 --peer " "$(complete_line 'wgx doctor wgt0 --peer ')" "$FAKE_WGX_PEERS laptop"
	expect_set "wgx doctor wgt0 --json -" "$(complete_line 'wgx doctor wgt0 --json -')" "--peer --stale-after"
	expect_set "wgx metrics --listen 127.0.0.1:9586 -" \
		"$(complete_line 'wgx metrics --listen 127.0.0.1:9586 -')" "--stale-after"
	expect_set "wgx metrics --textfile m.prom -" \
		"$(complete_line 'wgx metrics --textfile m.prom -')" "--interval --stale-after"
	expect_has "wgx metrics --textfile " "$(complete_line 'wgx metrics --textfile ')" site.conf sub

	expect_set "wgx-quick " "$(complete_line 'wgx-quick ')" "$quick"
	expect_set "wgx quick " "$(complete_line 'wgx quick ')" "$quick"
	local up
	up=$(complete_line 'wgx-quick up ')
	expect_has "wgx-quick up " "$up" wgtest site.conf sub
	expect_lacks "wgx-quick up " "$up" notes.txt
	expect_has "wgx-quick strip " "$(complete_line 'wgx-quick strip ')" wgtest site.conf
	expect_set "wgx-quick down " "$(complete_line 'wgx-quick down ')" "$FAKE_WGX_INTERFACES wgtest"
	expect_set "wgx-quick save " "$(complete_line 'wgx-quick save ')" "$FAKE_WGX_INTERFACES wgtest"
	expect_set "wgx quick down " "$(complete_line 'wgx quick down ')" "$FAKE_WGX_INTERFACES wgtest"
	expect_set "wgx-quick up wgtest " "$(complete_line 'wgx-quick up wgtest ')" ""

	# What wgx-quick takes beyond wg-quick, and wgx's subcommands for its files.
	local backends="--dns-backend=resolved --dns-backend=resolvconf --dns-backend=file"
	expect_set "wgx-quick up wgtest -" "$(complete_line 'wgx-quick up wgtest -')" "--strict $backends"
	expect_set "wgx-quick up wgtest --dns-backend=resolv" "$(complete_line 'wgx-quick up wgtest --dns-backend=resolv')" \
		"--dns-backend=resolved --dns-backend=resolvconf"
	expect_set "wgx-quick strip wgtest -" "$(complete_line 'wgx-quick strip wgtest -')" "--strict"
	expect_set "wgx-quick save wgtest -" "$(complete_line 'wgx-quick save wgtest -')" "--force"
	expect_has "wgx-quick addpeer " "$(complete_line 'wgx-quick addpeer ')" wgtest site.conf
	expect_set "wgx-quick addpeer wgtest --p" "$(complete_line 'wgx-quick addpeer wgtest --p')" "--psk"
	expect_set "wgx-quick addpeer wgtest --name " "$(complete_line 'wgx-quick addpeer wgtest --name ')" ""
	expect_set "wgx-quick reload wgtest -" "$(complete_line 'wgx-quick reload wgtest -')" "--dry-run"
	expect_set "wgx reresolve " "$(complete_line 'wgx reresolve ')" "$FAKE_WGX_INTERFACES"
	expect_set "wgx reresolve wgt0 -" "$(complete_line 'wgx reresolve wgt0 -')" "--if-stale"
	expect_set "wgx allowedips 0.0.0.0/0 -" "$(complete_line 'wgx allowedips 0.0.0.0/0 -')" "--exclude"

	expect_set "wgx-engine -" "$(complete_line 'wgx-engine -')" "$(wgx_engine_options)"
	expect_set "wgx-engine -f wg0 " "$(complete_line 'wgx-engine -f wg0 ')" ""
}

shell_finish() {
	if ((SHELL_FAILED)); then exit 1; fi
	echo ok
	exit 0
}
