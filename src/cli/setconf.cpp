// `setconf`, `addconf` and `syncconf`: one grammar (the config file), three ways to apply it.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <net/if.h>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "config/config_reader.hpp"
#include "ipc/ipc.hpp"
#include "model/syncconf.hpp"

namespace wgx::cli {

namespace {

/// What setconf and syncconf mean beyond the file: keys the file leaves out are reset
/// (private key removed, port 0, fwmark off), as wg's full-configuration read does.
void fill_full_configuration(model::Device& dev) {
    if (!dev.private_key)
        dev.private_key = model::Key{};
    if (!dev.listen_port)
        dev.listen_port = 0;
    if (!dev.fwmark)
        dev.fwmark = 0;
}

} // namespace

int setconf_main(const Invocation& inv) {
    if (inv.args.size() != 3) {
        print_command_usage(inv);
        return 1;
    }
    const std::string& mode = inv.args[0];
    auto file = config::read_config_file(inv.args[2], config::Mode::wg);
    if (!file) {
        std::fprintf(stderr, "%s\n", file.error().message.c_str());
        return 1;
    }
    for (const auto& warning : file->warnings)
        std::fprintf(stderr, "%s\n", warning.c_str());
    model::Device desired = std::move(file->device);
    desired.name = inv.args[1].substr(0, IFNAMSIZ - 1);
    if (auto r = config::resolve_endpoints(desired); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return 1;
    }

    model::Device update;
    if (mode == "addconf") {
        update = std::move(desired);
    } else {
        fill_full_configuration(desired);
        // wg syncconf reads the interface only when the file has peers; without any it is
        // setconf (and a missing interface is then reported as "Unable to modify").
        if (mode == "syncconf" && !desired.peers.empty()) {
            auto current = ipc::get_device(desired.name);
            if (!current) {
                print_errno("Unable to retrieve current interface configuration", current.error());
                return 1;
            }
            // The diff follows the reference wg (1.0.20210914): a preshared key or keepalive
            // the file omits is left alone, and repeated [Peer] sections are merged in order.
            update = model::syncconf_diff(*current, desired);
            update.name = desired.name;
            if (model::is_empty_update(update))
                return 0;
        } else {
            update = std::move(desired);
            update.replace_peers = true;
        }
    }
    if (auto r = ipc::set_device(update); !r) {
        print_errno("Unable to modify interface", r.error());
        return 1;
    }
    return 0;
}

} // namespace wgx::cli
