# fish completion for wgx, the wg(8) command line of the wgx toolkit.
# Installed as /usr/share/fish/vendor_completions.d/wgx.fish (fish loads it by command name).
# The word lists mirror src/cli/command_table.cpp; tests/shell/completion_fish.sh fails when
# they differ.

# The wgx binary that belongs to the command line being completed.
function __wgx_binary
    set -l tokens (commandline -opc)
    string replace -r -- '-(quick|engine)$' '' $tokens[1]
end

# The words before the cursor, without the command name.
function __wgx_args
    set -l tokens (commandline -opc)
    for t in $tokens[2..-1]
        echo $t
    end
end

function __wgx_interfaces
    set -l wgx (__wgx_binary)
    command -q $wgx; or return
    for name in (command $wgx show interfaces 2>/dev/null | string split -n ' ')
        printf '%s\tinterface\n' $name
    end
end

# True when the cursor is on argument number $argv[1] (1 = the subcommand) of subcommand
# $argv[2..] (any subcommand when none is named).
function __wgx_at
    set -l args (__wgx_args)
    test (count $args) -eq (math $argv[1] - 1); or return 1
    set -q argv[2]; or return 0
    contains -- $args[1] $argv[2..-1]
end

# The keywords `wgx set IF ...` accepts at the cursor: interface keywords first, then those of
# the current peer (none after `remove`), each once; nothing when the cursor is on a value.
function __wgx_set_keywords
    set -l args (__wgx_args)
    set -l i 3
    set -l in_peer 0
    set -l used
    while test $i -le (count $args)
        switch $args[$i]
            case peer
                set in_peer 1
                set used
                set i (math $i + 2)
            case remove
                set -a used remove
                set i (math $i + 1)
            case '*'
                set -a used $args[$i]
                set i (math $i + 2)
        end
    end
    test $i -gt (math (count $args) + 1); and return
    set -l offer listen-port fwmark private-key
    if test $in_peer = 1
        set offer preshared-key endpoint allowed-ips persistent-keepalive remove
        contains -- remove $used; and set offer
    end
    for o in $offer
        contains -- $o $used; or echo $o
    end
    echo peer
end

# The previous word when the cursor is on the value of a `set` keyword.
function __wgx_set_value_of
    set -l args (__wgx_args)
    test (count $args) -ge 3; and test "$args[1]" = set; or return 1
    contains -- $args[-1] $argv
end

# Where a peer is expected: the keys of the peers of interface $argv[1] (of every interface
# without it), and their names, which `wgx show IF --names` prints as "peer: KEY (NAME)".
function __wgx_peers
    set -l wgx (__wgx_binary)
    command -q $wgx; or return
    set -l ifs $argv
    set -q ifs[1]; or set ifs (command $wgx show interfaces 2>/dev/null | string split -n ' ')
    for i in $ifs
        command $wgx show $i peers 2>/dev/null
        WG_COLOR_MODE=never command $wgx show $i --names 2>/dev/null |
            string replace -rf '^peer: \S+ \((.*)\)$' '$1'
    end
end

function __wgx_set_peers
    set -l args (__wgx_args)
    __wgx_peers $args[2]
end

# True when the subcommand is one of $argv and the cursor is past it.
function __wgx_in
    set -l args (__wgx_args)
    set -q args[1]; and contains -- $args[1] $argv
end

# True when the word before the cursor is one of $argv, after subcommand $argv[1].
function __wgx_after
    set -l args (__wgx_args)
    test (count $args) -ge 2; and test "$args[1]" = $argv[1]; and contains -- $args[-1] $argv[2..-1]
end

# `wgx show ...`: wgx's own flags go anywhere after `show'; the interface and the field are
# counted without them.
function __wgx_show_candidates
    set -l args (__wgx_args)
    switch "$args[-1]"
        case --stale-after
            return
        case --format
            printf '%s\n' json prometheus
            return
    end
    set -l pos
    set -l skip 0
    set -l structured 0
    for a in $args[2..-1]
        if test $skip = 1
            set skip 0
            contains -- $a json prometheus; and set structured 1
            continue
        end
        switch $a
            case --json --format=json --format=prometheus
                set structured 1
            case --stale-after --format
                set skip 1
            case '-*'
            case '*'
                set -a pos $a
        end
    end
    if string match -q -- '-*' (commandline -ct)
        printf '%s\n' --json --names --stale-after --format=json --format=prometheus
    else if test (count $pos) -eq 0
        __wgx_interfaces
        printf '%s\n' all interfaces
    else if test (count $pos) -eq 1; and test "$pos[1]" != interfaces; and test $structured = 0
        # JSON and Prometheus output take no field.
        printf '%s\n' public-key private-key listen-port fwmark peers preshared-keys endpoints \
            allowed-ips latest-handshakes transfer persistent-keepalive dump
    end
end

# metrics, top, route and doctor: an optional interface first (route's address after it), then
# flags, each once; `metrics` takes --listen or --textfile, --interval only with --textfile.
function __wgx_observe_candidates
    set -l args (__wgx_args)
    set -l cmd $args[1]
    switch "$args[-1]"
        case --textfile --listen --interval --stale-after --from --mark
            return
    end
    set -l pos
    set -l used
    set -l skip 0
    for a in $args[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $a
            case --listen --textfile --interval --stale-after --from --mark --peer
                set -a used $a
                set skip 1
            case '-*'
                set -a used $a
            case '*'
                set -a pos $a
        end
    end
    if test "$args[-1]" = --peer
        __wgx_peers $pos[1]
        return
    end
    set -l flags
    switch $cmd
        case metrics
            set flags --listen --textfile --interval --stale-after
        case top
            set flags --once --stale-after
        case route
            set flags --from --mark --json
        case doctor
            set flags --peer --stale-after --json
    end
    if test $cmd != metrics; and not set -q pos[1]; and not string match -q -- '-*' (commandline -ct)
        __wgx_interfaces
    end
    for o in $flags
        contains -- $o $used; and continue
        switch $o
            case --textfile
                contains -- --listen $used; and continue
            case --listen
                contains -- --textfile $used; or contains -- --interval $used; and continue
            case --interval
                contains -- --listen $used; and continue
        end
        echo $o
    end
end

complete -c wgx -f
complete -c wgx -n '__wgx_at 1' -l help -d 'list the subcommands'
complete -c wgx -n '__wgx_at 1' -l version -d 'print the version'
complete -c wgx -n '__wgx_at 1' -a show -d 'show the configuration and state of interfaces'
complete -c wgx -n '__wgx_at 1' -a showconf -d 'print an interface configuration for setconf'
complete -c wgx -n '__wgx_at 1' -a set -d 'change keys, the port, the fwmark or peers'
complete -c wgx -n '__wgx_at 1' -a setconf -d 'replace the configuration with a file'
complete -c wgx -n '__wgx_at 1' -a addconf -d 'append the peers of a file'
complete -c wgx -n '__wgx_at 1' -a syncconf -d 'match a file, keeping unchanged peers'
complete -c wgx -n '__wgx_at 1' -a genkey -d 'print a new private key'
complete -c wgx -n '__wgx_at 1' -a genpsk -d 'print a new preshared key'
complete -c wgx -n '__wgx_at 1' -a pubkey -d 'print the public key of the key on stdin'
complete -c wgx -n '__wgx_at 1' -a metrics -d 'serve or write Prometheus metrics'
complete -c wgx -n '__wgx_at 1' -a doctor -d 'find why traffic does not flow'
complete -c wgx -n '__wgx_at 1' -a route -d 'explain where an address is routed'
complete -c wgx -n '__wgx_at 1' -a top -d 'watch the traffic of every peer'
complete -c wgx -n '__wgx_at 1' -a help -d 'list the subcommands'
complete -c wgx -n '__wgx_at 1' -a quick -d 'run wgx-quick'
complete -c wgx -n '__wgx_at 1' -a engine -d 'run wgx-engine'

complete -c wgx -n '__wgx_at 2 showconf set setconf addconf syncconf' -a '(__wgx_interfaces)'
complete -c wgx -n '__wgx_in show' -a '(__wgx_show_candidates)'
complete -c wgx -n '__wgx_at 2 help' -a --all -d 'also list the subcommands of wgx alone'
complete -c wgx -n '__wgx_in metrics top route doctor' -a '(__wgx_observe_candidates)'
complete -c wgx -n '__wgx_after metrics --textfile' -F
complete -c wgx -n '__wgx_at 3 setconf addconf syncconf' -F
complete -c wgx -n '__fish_seen_subcommand_from set; and not __wgx_at 2' -a '(__wgx_set_keywords)'
complete -c wgx -n '__wgx_set_value_of private-key preshared-key' -F
complete -c wgx -n '__wgx_set_value_of peer' -a '(__wgx_set_peers)'
complete -c wgx -n '__wgx_set_value_of fwmark persistent-keepalive' -a off

# Without the symlinks, `wgx quick ...` and `wgx engine ...` are the other two tools.
complete -c wgx -n '__fish_seen_subcommand_from quick; and __wgx_at 2 quick' -a 'up down save strip addpeer showpeer rmpeer reload'

# `wgx quick VERB <TAB>`: what `wgx-quick VERB <TAB>` offers.
function __wgx_quick_verb
    set -l args (__wgx_args)
    test (count $args) -eq 2; and test "$args[1]" = quick; and contains -- $args[2] $argv
end

function __wgx_config_names
    for f in /etc/wireguard/*.conf
        printf '%s\tconfiguration\n' (string replace -r '\.conf$' '' (path basename $f))
    end 2>/dev/null
end

complete -c wgx -n '__wgx_quick_verb up strip addpeer showpeer rmpeer reload' -a '(__wgx_config_names)' -F
complete -c wgx -n '__wgx_quick_verb down save' -a '(__wgx_interfaces) (__wgx_config_names)'

# wgx's own subcommands for what wgx-quick adds to the files: allowedips (ExcludedIPs) and
# reresolve (endpoint host names).
complete -c wgx -n '__wgx_at 1' -a allowedips -d 'print an AllowedIPs list with ranges cut out'
complete -c wgx -n '__wgx_at 1' -a reresolve -d 'look up endpoint host names again'
complete -c wgx -n '__fish_seen_subcommand_from allowedips; and not __fish_seen_subcommand_from quick; and string match -q -- "-*" (commandline -ct)' -a '--exclude' -d 'ranges to cut out'
complete -c wgx -n '__wgx_at 2 reresolve' -a '(__wgx_interfaces)'
complete -c wgx -n '__fish_seen_subcommand_from reresolve; and not __fish_seen_subcommand_from quick; and string match -q -- "-*" (commandline -ct)' -a '--if-stale' -d 'only peers without a recent handshake'
