// `setconf`, `addconf` and `syncconf`: one grammar (the config file), three ways to apply it.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <net/if.h>
#include <unordered_map>
#include <unordered_set>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "config/config_reader.hpp"
#include "crypto/key.hpp"
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

/// wg 1.0.20210914's syncconf leaves a running peer's preshared key and keepalive alone when
/// the file does not mention them (later wg versions clear them). The reference decides, so
/// such clearings are dropped from the diff, and a running peer left with nothing to change
/// is not mentioned at all.
void keep_unmentioned_peer_fields(model::Device& update, const model::Device& current,
                                  const model::Device& desired) {
    // Indexed by public key: syncconf of 10,000 peers must not be quadratic.
    std::unordered_map<model::Key, const model::Peer*, crypto::PublicKeyHash> in_file;
    for (const auto& p : desired.peers)
        in_file.emplace(p.public_key, &p);
    std::unordered_set<model::Key, crypto::PublicKeyHash> running;
    for (const auto& p : current.peers)
        running.insert(p.public_key);
    for (auto& p : update.peers) {
        auto it = in_file.find(p.public_key);
        if (it == in_file.end() || p.remove)
            continue;
        if (!it->second->preshared_key)
            p.preshared_key.reset();
        if (!it->second->persistent_keepalive)
            p.persistent_keepalive.reset();
    }
    std::erase_if(update.peers, [&](const model::Peer& p) {
        return !p.remove && running.count(p.public_key) && !p.preshared_key &&
               !p.persistent_keepalive && !p.endpoint && !p.endpoint_host &&
               !p.replace_allowed_ips && p.allowed_ips.empty();
    });
}

} // namespace

int setconf_main(const Invocation& inv) {
    if (inv.args.size() != 3) {
        std::fprintf(stderr, "Usage: %s %s <interface> <configuration filename>\n",
                     inv.prog.c_str(), inv.args[0].c_str());
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
            update = model::syncconf_diff(*current, desired);
            keep_unmentioned_peer_fields(update, *current, desired);
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
