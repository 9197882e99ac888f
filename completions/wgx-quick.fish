# fish completion for wgx-quick (the wg-quick(8) command line of the wgx toolkit).
# Installed as /usr/share/fish/vendor_completions.d/wgx-quick.fish. The subcommands mirror
# src/quick/command_table.cpp; tests/shell/completion_fish.sh fails when they differ.

function __wgx_quick_position
    set -l tokens (commandline -opc)
    count $tokens
end

function __wgx_quick_subcommand
    set -l tokens (commandline -opc)
    test (count $tokens) -eq 2; and contains -- $tokens[2] $argv
end

function __wgx_quick_config_names
    for f in /etc/wireguard/*.conf
        printf '%s\tconfiguration\n' (string replace -r '\.conf$' '' (path basename $f))
    end 2>/dev/null
end

function __wgx_quick_interfaces
    set -l tokens (commandline -opc)
    set -l wgx (string replace -r -- '-quick$' '' $tokens[1])
    command -q $wgx; or return
    for name in (command $wgx show interfaces 2>/dev/null | string split -n ' ')
        printf '%s\tinterface\n' $name
    end
end

function __wgx_quick_conf_files
    set -l token (commandline -ct)
    for f in (__fish_complete_path $token | string replace -r '\t.*$' '')
        if string match -q '*/' -- $f; or string match -q '*.conf' -- $f
            echo $f
        end
    end
end

complete -c wgx-quick -f
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -l help -d 'explain the usage'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -l version -d 'print the version'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a up -d 'create and configure the interface'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a down -d 'undo up and delete the interface'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a save -d 'write the running configuration to the file'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a strip -d 'print the file without wgx-quick keys'
complete -c wgx-quick -n '__wgx_quick_subcommand up strip' -a '(__wgx_quick_config_names) (__wgx_quick_conf_files)'
complete -c wgx-quick -n '__wgx_quick_subcommand down save' -a '(__wgx_quick_interfaces) (__wgx_quick_config_names)'
