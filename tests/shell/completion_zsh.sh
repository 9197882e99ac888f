#!/bin/bash
# The zsh completion (completions/_wgx), run in a real interactive zsh under the zsh/zpty
# module: the line is typed into a pseudo-terminal followed by TAB, and compadd is wrapped to
# print each candidate it adds, so the test sees what a user would be offered. The candidates
# are checked against what the command tables say (tests/shell/shell_lib.bash).
source "$(dirname "$0")/shell_lib.bash" || exit 1
shell_require zsh
shell_isolate "$@"
shell_setup

mkdir -p "$SHELL_TMP/zdotdir" "$SHELL_TMP/fpath"
# The layout `cmake --install` makes: _wgx in a directory of fpath.
ln -s "$WGX_SOURCE_DIR/completions/_wgx" "$SHELL_TMP/fpath/_wgx"
cat >"$SHELL_TMP/zdotdir/.zshrc" <<'RC'
PS1='' RPS1=''
setopt no_prompt_sp no_beep
fpath=($WGX_TEST_FPATH $fpath)
autoload -Uz compinit && compinit -u -d "$ZDOTDIR/.zcompdump"
bindkey '^I' complete-word
zstyle ':completion:*' menu no
# Print every candidate a completion function adds (compadd calls that only compute matches,
# with -O, -A or -D, are passed through), then end the shell once the completion is done.
compadd() {
	if (( ${@[(I)-[OAD]*]} )); then
		builtin compadd "$@"
		return
	fi
	local -a hits
	builtin compadd -A hits "$@"
	local h
	for h in $hits; do print -r -- "CANDIDATE:$h"; done
	builtin compadd "$@"
}
wgx_test_end() { print -r -- "END-OF-CANDIDATES"; exit 0 }
comppostfuncs=(wgx_test_end)
RC
cat >"$SHELL_TMP/drive.zsh" <<'DRIVE'
# drive.zsh LINE: type LINE and TAB into an interactive zsh, print the candidates.
zmodload zsh/zpty || exit 2
zpty wgxtest zsh -i
zpty -w -n wgxtest "$1"$'\t'
local out="" chunk
while zpty -r wgxtest chunk; do
	out+=$chunk
	[[ $out == *END-OF-CANDIDATES* ]] && break
done
zpty -d wgxtest
[[ $out == *END-OF-CANDIDATES* ]] || { print -u2 "zsh never finished completing: $out"; exit 1; }
print -r -- "$out" | grep -ao 'CANDIDATE:[^[:cntrl:]]*' | cut -d: -f2- | sed 's:/$::'
DRIVE

complete_line() {
	ZDOTDIR="$SHELL_TMP/zdotdir" WGX_TEST_FPATH="$SHELL_TMP/fpath" \
		timeout 20 zsh -f "$SHELL_TMP/drive.zsh" "$1"
}
shell_run_cases
shell_finish
