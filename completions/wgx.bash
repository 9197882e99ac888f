# bash completion for the wgx toolkit: wgx (the wg(8) command line), wgx-quick and wgx-engine.
# One file for the three names: it is installed as
# /usr/share/bash-completion/completions/{wgx,wgx-quick,wgx-engine}, because bash-completion
# loads a completion by the name of the command being completed.
#
# The word lists mirror the command tables (src/cli/command_table.cpp,
# src/quick/command_table.cpp); tests/shell/completion_bash.sh fails when they differ.

_wgx_words() {
	# Offer the words of $1 that start with the current word.
	local IFS=$' \t\n'
	COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

_wgx_files() {
	local f
	compopt -o filenames 2>/dev/null
	while IFS= read -r f; do COMPREPLY+=("$f"); done < <(compgen -f -- "$cur")
}

# The wgx binary that belongs to the command being completed: /usr/bin/wgx-quick -> /usr/bin/wgx.
_wgx_binary() {
	local self=${1%-quick}
	self=${self%-engine}
	printf '%s' "$self"
}

# Live interface names, as `wgx show interfaces` lists them (kernel and userspace).
_wgx_interfaces() {
	"$(_wgx_binary "$1")" show interfaces 2>/dev/null
}

# Configuration names in /etc/wireguard (NAME for NAME.conf), for wgx-quick.
_wgx_config_names() {
	local f names=""
	for f in /etc/wireguard/*.conf; do
		[[ -e $f ]] || continue
		f=${f##*/}
		names+="${f%.conf} "
	done
	printf '%s' "$names"
}

# The names of an interface's peers: what `wgx show IF --names` prints in parentheses after a
# key ("peer: KEY (NAME)"). A name holding white space cannot be offered as one word.
_wgx_peer_names() {
	WG_COLOR_MODE=never "$(_wgx_binary "$1")" show "$2" --names 2>/dev/null |
		sed -n -E 's/^peer: [^ ]+ \(([^[:space:]()]+)\)$/\1/p'
}

# Where a peer is expected: the keys and names of the peers of interface $2, or of every
# interface when $2 is empty.
_wgx_peers() {
	local self=$1 names=$2 i
	[[ -n $names ]] || names=$(_wgx_interfaces "$self")
	for i in $names; do
		_wgx_words "$("$self" show "$i" peers 2>/dev/null) $(_wgx_peer_names "$self" "$i")"
	done
}

_wgx_show_fields="public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes transfer persistent-keepalive dump"
# wgx's own flags of `show`, accepted anywhere after it.
_wgx_show_flags="--json --names --stale-after --format=json --format=prometheus"

_wgx_show() {
	local self=$1 i word structured=0
	local -a positional=()
	# bash splits "--format=VALUE" at the '=' (COMP_WORDBREAKS): the value is the word after it.
	if [[ $prev == --format || ($prev == = && ${COMP_WORDS[COMP_CWORD - 2]} == --format) ]]; then
		[[ $cur == = ]] && cur=""
		_wgx_words "json prometheus"
		return
	fi
	[[ $prev == --stale-after ]] && return
	for ((i = 2; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--json | --format=json | --format=prometheus) structured=1 ;;
		--format)
			((i++))
			[[ ${COMP_WORDS[i]} == = ]] && ((i++))
			[[ ${COMP_WORDS[i]} == json || ${COMP_WORDS[i]} == prometheus ]] && structured=1
			;;
		--stale-after) ((i++)) ;;
		= | -*) ;;
		*) [[ ${COMP_WORDS[i - 1]} == = ]] || positional+=("$word") ;;
		esac
	done
	if [[ $cur == -* ]]; then
		_wgx_words "$_wgx_show_flags"
	elif ((${#positional[@]} == 0)); then
		_wgx_words "$(_wgx_interfaces "$self") all interfaces"
	elif ((${#positional[@]} == 1 && !structured)) && [[ ${positional[0]} != interfaces ]]; then
		# JSON and Prometheus output take no field.
		_wgx_words "$_wgx_show_fields"
	fi
}

# metrics, top, route and doctor: an optional interface first (route's address after it), then
# flags, each once; `metrics` takes --listen or --textfile, --interval only with --textfile.
_wgx_observe() {
	local self=$1 cmd=$2 i word used=" " flags o offer=""
	local -a positional=()
	case $prev in
	--textfile)
		_wgx_files
		return
		;;
	--listen | --interval | --stale-after | --from | --mark) return ;;
	esac
	for ((i = 2; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--listen | --textfile | --interval | --stale-after | --from | --mark | --peer)
			used+="$word "
			((i++))
			;;
		-*) used+="$word " ;;
		*) positional+=("$word") ;;
		esac
	done
	if [[ $prev == --peer ]]; then
		_wgx_peers "$self" "${positional[0]:-}"
		return
	fi
	case $cmd in
	metrics) flags="--listen --textfile --interval --stale-after" ;;
	top) flags="--once --stale-after" ;;
	route) flags="--from --mark --json" ;;
	doctor) flags="--peer --stale-after --json" ;;
	esac
	for o in $flags; do
		[[ $used == *" $o "* ]] && continue
		case $o in
		--textfile) [[ $used == *" --listen "* ]] && continue ;;
		--listen) [[ $used == *" --textfile "* || $used == *" --interval "* ]] && continue ;;
		--interval) [[ $used == *" --listen "* ]] && continue ;;
		esac
		offer+="$o "
	done
	if [[ $cmd != metrics && $cur != -* ]] && ((${#positional[@]} == 0)); then
		offer="$(_wgx_interfaces "$self") $offer"
	fi
	_wgx_words "$offer"
}

# wgx's own subcommands for what wgx-quick adds to the files: allowedips (ExcludedIPs) and
# reresolve (endpoint host names). Returns 1 for any other subcommand.
_wgx_own_for_quick_files() {
	local self=$1 cmd=$2
	case $cmd in
	allowedips)
		[[ $cur == -* ]] && _wgx_words "--exclude"
		;;
	reresolve)
		[[ $prev == --if-stale ]] && return 0
		if [[ $cur == -* ]]; then
			_wgx_words "--if-stale"
		elif ((COMP_CWORD == 2)); then
			_wgx_words "$(_wgx_interfaces "$self")"
		fi
		;;
	*) return 1 ;;
	esac
	return 0
}

_wgx() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local self=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]}
	COMPREPLY=()

	# Without the symlinks, `wgx quick ...` and `wgx engine ...` are the other two tools.
	if ((COMP_CWORD > 1)) && [[ $cmd == quick || $cmd == engine ]]; then
		local tool=_wgx_$cmd
		COMP_WORDS=("${self}-$cmd" "${COMP_WORDS[@]:2}")
		((COMP_CWORD -= 1))
		"$tool"
		return
	fi
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			_wgx_words "--help --version"
		else
			_wgx_words "show showconf set setconf addconf syncconf genkey genpsk pubkey metrics doctor route top help quick engine"
			_wgx_words "allowedips reresolve"
		fi
		return
	fi
	_wgx_own_for_quick_files "$self" "$cmd" && return
	case $cmd in
	show)
		_wgx_show "$self"
		return
		;;
	metrics | doctor | route | top)
		_wgx_observe "$self" "$cmd"
		return
		;;
	help)
		((COMP_CWORD == 2)) && _wgx_words "--all"
		return
		;;
	showconf | set | setconf | addconf | syncconf) ;;
	*) return ;;
	esac

	if ((COMP_CWORD == 2)); then
		_wgx_words "$(_wgx_interfaces "$self")"
		return
	fi

	case $cmd in
	setconf | addconf | syncconf)
		((COMP_CWORD == 3)) && _wgx_files
		return
		;;
	showconf)
		return
		;;
	esac

	# set: walk the words after the interface, tracking which keywords were used where. A
	# keyword takes one value, except `remove`, which takes none.
	local i=3 in_peer=0 word used=" "
	while ((i < COMP_CWORD)); do
		word=${COMP_WORDS[i]}
		case $word in
		peer)
			in_peer=1
			used=" "
			((i += 2))
			;;
		remove)
			used+="remove "
			((i += 1))
			;;
		*)
			used+="$word "
			((i += 2))
			;;
		esac
	done
	# The cursor sits on a value, not on a keyword.
	if ((i > COMP_CWORD)); then
		case $prev in
		private-key | preshared-key) _wgx_files ;;
		peer) _wgx_peers "$self" "${COMP_WORDS[2]}" ;;
		fwmark | persistent-keepalive) _wgx_words "off" ;;
		esac
		return
	fi
	local offer="" o
	if ((in_peer)); then
		if [[ $used != *" remove "* ]]; then
			for o in preshared-key endpoint allowed-ips persistent-keepalive remove; do
				[[ $used == *" $o "* ]] || offer+="$o "
			done
		fi
	else
		for o in listen-port fwmark private-key; do
			[[ $used == *" $o "* ]] || offer+="$o "
		done
	fi
	_wgx_words "$offer peer"
}

# What wgx-quick takes after CONFIG_FILE|INTERFACE beyond wg-quick: up/strip --strict, up
# --dns-backend=NAME (offered whole, as show's --format=), save --force, and the options of its
# own subcommands. Nothing is offered for the other options' values.
_wgx_quick_options() {
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	# bash splits "--dns-backend=NAME" at the '=' (COMP_WORDBREAKS): NAME is the word after it.
	if [[ $1 == up && ($prev == --dns-backend || ($prev == = && ${COMP_WORDS[COMP_CWORD - 2]} == --dns-backend)) ]]; then
		[[ $cur == = ]] && cur=""
		_wgx_words "resolved resolvconf file"
		return
	fi
	case $prev in
	--name | --address | --allowed-ips | --endpoint | --dns | --keepalive) return ;;
	--output)
		_wgx_files
		return
		;;
	esac
	[[ $cur == -* ]] || return
	case $1 in
	up) _wgx_words "--strict --dns-backend=resolved --dns-backend=resolvconf --dns-backend=file" ;;
	strip) _wgx_words "--strict" ;;
	save) _wgx_words "--force" ;;
	addpeer) _wgx_words "--name --address --allowed-ips --endpoint --dns --keepalive --psk --qr --output" ;;
	showpeer) _wgx_words "--qr" ;;
	reload) _wgx_words "--dry-run" ;;
	esac
}

_wgx_quick() {
	local cur=${COMP_WORDS[COMP_CWORD]} self=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]}
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			_wgx_words "--help --version"
		else
			_wgx_words "up down save strip"
			_wgx_words "addpeer showpeer rmpeer reload"
		fi
		return
	fi
	if ((COMP_CWORD > 2)); then
		_wgx_quick_options "$cmd"
		return
	fi
	case $cmd in
	up | strip | addpeer | showpeer | rmpeer | reload)
		# A name from /etc/wireguard, or a file NAME.conf anywhere.
		_wgx_words "$(_wgx_config_names)"
		local f
		compopt -o filenames 2>/dev/null
		while IFS= read -r f; do
			[[ -d $f || $f == *.conf ]] && COMPREPLY+=("$f")
		done < <(compgen -f -- "$cur")
		;;
	down | save)
		# What is up now; also names in /etc/wireguard, which is where `down NAME` looks.
		local names
		names="$(_wgx_interfaces "$self") $(_wgx_config_names)"
		_wgx_words "$(printf '%s\n' $names | sort -u)"
		;;
	esac
}

_wgx_engine() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=()
	# The only argument is the name of a new interface: nothing to offer but the options.
	if [[ $cur == -* ]]; then
		local w used=" "
		for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do used+="$w "; done
		if ((COMP_CWORD == 1)); then
			_wgx_words "-f --foreground --help --version"
		elif [[ $used != *" -f "* && $used != *" --foreground "* ]]; then
			_wgx_words "-f --foreground"
		fi
	fi
}

complete -o nosort -F _wgx wgx
complete -o nosort -F _wgx_quick wgx-quick
complete -F _wgx_engine wgx-engine
