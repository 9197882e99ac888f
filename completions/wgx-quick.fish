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
complete -c wgx-quick -n '__wgx_quick_subcommand up strip addpeer showpeer rmpeer reload' -a '(__wgx_quick_config_names) (__wgx_quick_conf_files)'
complete -c wgx-quick -n '__wgx_quick_subcommand down save' -a '(__wgx_quick_interfaces) (__wgx_quick_config_names)'

# wgx-quick's own subcommands, and what it takes after CONFIG_FILE|INTERFACE beyond wg-quick.
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a addpeer -d 'add a client and print its file'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a showpeer -d 'print a client file again'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a rmpeer -d 'take a peer out of file and interface'
complete -c wgx-quick -n 'test (__wgx_quick_position) -eq 1' -a reload -d 'make the interface match the file'

function __wgx_quick_options_of
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 3; and contains -- $tokens[2] $argv
end

complete -c wgx-quick -n '__wgx_quick_options_of up strip' -l strict -d 'refuse a prefix given to two peers'
# --dns-backend=NAME is offered whole (as wgx show's --format=), once an option is being typed.
complete -c wgx-quick -n '__wgx_quick_options_of up; and string match -q -- "-*" (commandline -ct)' -a '--dns-backend=resolved --dns-backend=resolvconf --dns-backend=file' -d 'how DNS is set'
complete -c wgx-quick -n '__wgx_quick_options_of save' -l force -d 'write over a file edited since up'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l name -x -d 'name of the new peer'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l address -x -d 'auto or CIDR'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l allowed-ips -x -d "the client's AllowedIPs"
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l endpoint -x -d "the server's HOST[:PORT]"
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l dns -x -d "the client's DNS"
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l keepalive -x -d 'PersistentKeepalive seconds'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l psk -d 'add a preshared key'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer showpeer' -l qr -d 'show it as a QR code'
complete -c wgx-quick -n '__wgx_quick_options_of addpeer' -l output -r -F -d "write the client's file"
complete -c wgx-quick -n '__wgx_quick_options_of reload' -l dry-run -d 'print the changes only'
