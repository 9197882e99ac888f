#!/bin/bash
# The bash completion (completions/wgx.bash), loaded the way bash-completion loads it (by command
# name, from a completions directory), driven without a terminal: COMP_WORDS and COMP_CWORD set
# as readline would, the function that `complete -p` names called, COMPREPLY checked against
# what the command tables say (tests/shell/shell_lib.bash).
source "$(dirname "$0")/shell_lib.bash" || exit 1
shell_require bash
loader=/usr/share/bash-completion/bash_completion
[[ -r $loader ]] || { echo "skipped: bash-completion not installed (tools/bootstrap installs it)"; exit 77; }
shell_isolate "$@"
shell_setup

# The layout `cmake --install` makes: one file per command name.
mkdir -p "$SHELL_TMP/user/completions"
for name in wgx wgx-quick wgx-engine; do
	ln -s "$WGX_SOURCE_DIR/completions/wgx.bash" "$SHELL_TMP/user/completions/$name"
done

cat >"$SHELL_TMP/driver.bash" <<'DRIVER'
# complete_line LINE: the candidates bash offers for LINE, one per line.
source /usr/share/bash-completion/bash_completion
complete_line() {
	local line=$1 spec fn
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line COMP_POINT=${#line}
	# bash-completion loads the command's completion on first use, by name.
	spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null) ||
		{ __load_completion "${COMP_WORDS[0]}"; spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null); } ||
		{ echo "no completion for ${COMP_WORDS[0]}" >&2; return 1; }
	fn=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")
	COMPREPLY=()
	"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]%/}"
	return 0
}
DRIVER

export BASH_COMPLETION_USER_DIR="$SHELL_TMP/user"
complete_line() {
	bash --norc --noprofile -c 'source "$1"; complete_line "$2"' _ "$SHELL_TMP/driver.bash" "$1"
}
shell_run_cases
shell_finish
