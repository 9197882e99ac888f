# bash completion for wgx (the wg(8) command line of the wgx toolkit).
# Install as /usr/share/bash-completion/completions/wgx.

_wgx_words() {
	# Offer the words of $1 that start with the current word.
	local IFS=$' \n'
	COMPREPLY+=( $(compgen -W "$1" -- "$cur") )
}

_wgx_files() {
	local f
	compopt -o filenames
	while IFS= read -r f; do COMPREPLY+=( "$f" ); done < <(compgen -f -- "$cur")
}

_wgx() {
	local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local self=${COMP_WORDS[0]}

	if ((COMP_CWORD == 1)); then
		_wgx_words "help show showconf set setconf addconf syncconf genkey genpsk pubkey allowedips reresolve"
		return
	fi
	case $cmd in
	show|showconf|set|setconf|addconf|syncconf) ;;
	*) return ;;
	esac

	if ((COMP_CWORD == 2)); then
		local names
		names=$("$self" show interfaces 2>/dev/null)
		[[ $cmd == show ]] && names+=" all interfaces"
		_wgx_words "$names"
		return
	fi

	case $cmd in
	show)
		((COMP_CWORD == 3)) && [[ ${COMP_WORDS[2]} != interfaces ]] &&
			_wgx_words "public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes transfer persistent-keepalive dump"
		return ;;
	setconf|addconf|syncconf)
		((COMP_CWORD == 3)) && _wgx_files
		return ;;
	showconf)
		return ;;
	esac

	# set: walk the words after the interface, tracking which options were used where.
	local i=3 in_peer=0 word used=" "
	while ((i < COMP_CWORD)); do
		word=${COMP_WORDS[i]}
		case $word in
		peer) in_peer=1; used=" "; ((i += 2)) ;;
		remove) used+="remove "; ((i += 1)) ;;
		*) used+="$word "; ((i += 2)) ;;
		esac
	done
	# The cursor sits on a value, not on an option name.
	if ((i > COMP_CWORD)); then
		case $prev in
		private-key|preshared-key) _wgx_files ;;
		peer) _wgx_words "$("$self" show "${COMP_WORDS[2]}" peers 2>/dev/null)" ;;
		fwmark|persistent-keepalive) _wgx_words "off" ;;
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

complete -o nosort -F _wgx wgx
