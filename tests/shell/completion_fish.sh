#!/bin/bash
# The fish completions (completions/{wgx,wgx-quick,wgx-engine}.fish), found by fish itself in a
# vendor completions directory and asked with `complete -C LINE`, the candidates checked against
# what the command tables say (tests/shell/shell_lib.bash).
source "$(dirname "$0")/shell_lib.bash" || exit 1
shell_require fish
shell_isolate "$@"
shell_setup

# The layout `cmake --install` makes: NAME.fish in a directory of fish_complete_path.
mkdir -p "$SHELL_TMP/fish"
for name in wgx wgx-quick wgx-engine; do
	ln -s "$WGX_SOURCE_DIR/completions/$name.fish" "$SHELL_TMP/fish/$name.fish"
done
export XDG_CONFIG_HOME="$SHELL_TMP/config" XDG_DATA_HOME="$SHELL_TMP/data"

complete_line() {
	timeout 20 fish --no-config -c 'set -p fish_complete_path $argv[1]; complete -C $argv[2]' \
		"$SHELL_TMP/fish" "$1" | cut -f1 | sed 's:/$::'
}
shell_run_cases
shell_finish
