#pragma once
// The wg(8) subcommands. Each takes the invocation as wg passes it: args[0] is the subcommand's
// own name (setconf/addconf/syncconf and genkey/genpsk share a function keyed by it).
#include <string>
#include <vector>

namespace wgx::cli {

/// One run of a subcommand: the program name (argv[0], as wg prints it in usage lines) and the
/// arguments starting with the subcommand name.
struct Invocation {
    std::string prog;
    std::vector<std::string> args;
};

int show_main(const Invocation& inv);
int showconf_main(const Invocation& inv);
int set_main(const Invocation& inv);
int setconf_main(const Invocation& inv);
int genkey_main(const Invocation& inv);
int pubkey_main(const Invocation& inv);
// wgx's own subcommands (not in wg).
int metrics_main(const Invocation& inv);
int top_main(const Invocation& inv);
int route_main(const Invocation& inv);
int doctor_main(const Invocation& inv);
int allowedips_main(const Invocation& inv);
int reresolve_main(const Invocation& inv);

} // namespace wgx::cli
