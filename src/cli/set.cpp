// `set`: one partial update from the command line.
#include <cstdio>
#include <net/if.h>
#include <span>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/peer_names.hpp"
#include "config/set_arguments.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

int set_main(const Invocation& inv) {
    if (inv.args.size() < 3) {
        print_command_usage(inv);
        return 1;
    }
    // A peer may be named instead of keyed (`peer laptop remove`); an unknown name stays as
    // it is, so that the parser rejects it with wg's bad-key error.
    std::vector<std::string> args = inv.args;
    for (std::size_t i = 2; i + 1 < args.size(); ++i) {
        const std::string& word = args[i];
        if (word == "peer")
            args[i + 1] = resolve_peer_argument(args[1], args[i + 1]);
        if (word != "remove") // every other keyword takes a value: skip it
            ++i;
    }
    auto update = config::parse_set_arguments(std::span(args).subspan(2));
    if (!update) {
        std::fprintf(stderr, "%s\n", update.error().message.c_str());
        return 1;
    }
    update->name = inv.args[1].substr(0, IFNAMSIZ - 1);
    if (auto r = ipc::set_device(*update); !r) {
        print_errno("Unable to modify interface", r.error());
        return 1;
    }
    return 0;
}

} // namespace wgx::cli
