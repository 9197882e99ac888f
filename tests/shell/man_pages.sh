#!/bin/bash
# The man pages as installed (written into the build tree with the project version): groff
# renders each without a single warning; their title carries the version `--version` prints;
# every option of wgx-engine's usage line and every environment variable the sources read is
# described. (The subcommands and keywords of the command tables are checked by
# tests/cli/command_table_test.cpp and tests/quick/command_table_test.cpp.)
source "$(dirname "$0")/shell_lib.bash" || exit 1
shell_require groff
man_dir=${WGX_BINARY_DIR:?}/man

# The words of a page as a reader sees them: no font escapes, "\-" as "-".
page_words() { sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g' "$man_dir/$1.8"; }

version=$("$WGX" --version | sed -E 's/^wgx v([^ ]+) .*/\1/')
[[ -n $version ]] || shell_fail "wgx --version printed no version"
for page in wgx wgx-quick wgx-engine; do
	f=$man_dir/$page.8
	[[ -s $f ]] || { shell_fail "$f missing"; continue; }
	warnings=$(groff -man -ww -z "$f" 2>&1)
	[[ -z $warnings ]] || shell_fail "groff warns about $page.8: $warnings"
	grep -q "^\.TH [A-Z-]* 8 \"[^\"]*\" \"wgx $version\"" "$f" || shell_fail "$page.8's title lacks wgx $version"
done
for name in wgx-quick wgx-engine; do
	"$WGX_BIN_DIR/$name" --version | grep -qF "v$version" || shell_fail "$name --version is not $version"
done

for option in $(wgx_engine_options); do
	page_words wgx-engine | grep -qE -- "(^|[^a-z-])$option([^a-z-]|$)" ||
		shell_fail "wgx-engine.8 does not describe $option"
done

# Every variable the program reads (getenv and the helpers around it) is in some page.
vars=$(grep -rhoE '(getenv|env|fd_from_env)\("[A-Z_]+"' "$WGX_SOURCE_DIR/src" |
	sed -E 's/.*"([A-Z_]+)"/\1/' | sort -u | grep -vx PATH)
[[ -n $vars ]] || shell_fail "found no environment variables in the sources"
for v in $vars; do
	grep -q -- "$v" "$man_dir"/*.8 || shell_fail "no man page describes the environment variable $v"
done
shell_finish
