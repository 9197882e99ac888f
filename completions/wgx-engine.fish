# fish completion for wgx-engine (the userspace WireGuard engine of the wgx toolkit).
# Installed as /usr/share/fish/vendor_completions.d/wgx-engine.fish. Its only argument is the
# name of a new interface, so only the options are offered.
complete -c wgx-engine -f
complete -c wgx-engine -s f -l foreground -d 'stay in the foreground'
complete -c wgx-engine -n 'test (count (commandline -opc)) -eq 1' -l help -d 'print the usage'
complete -c wgx-engine -n 'test (count (commandline -opc)) -eq 1' -l version -d 'print the version'
