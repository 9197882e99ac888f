// `set`: one partial update from the command line.
#include <cstdio>
#include <net/if.h>
#include <span>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "config/set_arguments.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

int set_main(const Invocation& inv) {
    if (inv.args.size() < 3) {
        print_command_usage(inv);
        return 1;
    }
    auto update = config::parse_set_arguments(std::span(inv.args).subspan(2));
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
