// `showconf`: the interface's configuration in the format setconf reads.
#include <cstdio>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "config/config_writer.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

int showconf_main(const Invocation& inv) {
    // Like wg, any single argument is an interface name, "--help" included.
    if (inv.args.size() != 2) {
        print_command_usage(inv);
        return 1;
    }
    auto dev = ipc::get_device(inv.args[1]);
    if (!dev) {
        print_errno("Unable to access interface", dev.error());
        return 1;
    }
    write_secret_out(config::write_showconf(*dev));
    return 0;
}

} // namespace wgx::cli
