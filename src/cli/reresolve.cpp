// `reresolve`: looks up again the host names of peers' endpoints (kept by wgx-quick at `up`)
// and moves each peer whose name now points elsewhere, so dynamic-DNS endpoints keep working
// without restarting the tunnel. With --if-stale, only peers without a recent handshake.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "base/decimal.hpp"
#include "cli/commands.hpp"
#include "config/config_reader.hpp"
#include "config/endpoint_names.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

namespace {
int usage(const Invocation& inv) {
    std::fprintf(stderr, "Usage: %s %s [<interface>] [--if-stale <seconds>]\n", inv.prog.c_str(),
                 inv.args[0].c_str());
    return 1;
}

/// Re-resolves one interface's names; returns false when something failed.
bool reresolve(const Invocation& inv, const std::string& interface,
               std::optional<unsigned> if_stale, const config::ResolveOptions& options) {
    auto names = config::read_endpoint_names(interface);
    if (!names) {
        std::fprintf(stderr, "%s: %s\n", inv.prog.c_str(), names.error().message.c_str());
        return false;
    }
    if (names->empty())
        return true;
    auto device = ipc::get_device(interface);
    if (!device) {
        std::fprintf(stderr, "Unable to access interface %s: %s\n", interface.c_str(),
                     device.error().message.c_str());
        return false;
    }
    bool ok = true;
    model::Device update;
    update.name = interface;
    const auto now = std::chrono::system_clock::now();
    for (const auto& n : *names) {
        const model::Peer* live = device->find_peer(n.public_key);
        if (!live)
            continue; // removed since up
        if (if_stale && live->last_handshake &&
            live->last_handshake->time_since_epoch().count() != 0 &&
            now - *live->last_handshake < std::chrono::seconds(*if_stale))
            continue;
        auto ep = config::resolve_endpoint(n.endpoint, options);
        if (!ep) {
            std::fprintf(stderr, "%s: %s: %s\n", inv.prog.c_str(), interface.c_str(),
                         ep.error().message.c_str());
            ok = false;
            continue;
        }
        if (live->endpoint && *live->endpoint == *ep)
            continue;
        model::Peer change;
        change.public_key = n.public_key;
        change.update_only = true;
        change.endpoint = *ep;
        update.peers.push_back(change);
        std::printf("%s: peer %s: %s -> %s (%s)\n", interface.c_str(),
                    n.public_key.to_base64().c_str(),
                    live->endpoint ? live->endpoint->to_string().c_str() : "(none)",
                    ep->to_string().c_str(), n.endpoint.c_str());
    }
    if (!update.peers.empty())
        if (auto r = ipc::set_device(update); !r) {
            std::fprintf(stderr, "Unable to modify interface %s: %s\n", interface.c_str(),
                         r.error().message.c_str());
            ok = false;
        }
    return ok;
}
} // namespace

int reresolve_main(const Invocation& inv) {
    std::vector<std::string> interfaces;
    std::optional<unsigned> if_stale;
    for (std::size_t i = 1; i < inv.args.size(); ++i) {
        const auto& a = inv.args[i];
        if (a == "--if-stale") {
            if (i + 1 >= inv.args.size())
                return usage(inv);
            auto n = parse_decimal<unsigned>(inv.args[++i]);
            if (!n)
                return usage(inv);
            if_stale = *n;
        } else if (a.starts_with("-") || !interfaces.empty()) {
            return usage(inv);
        } else {
            interfaces.push_back(a);
        }
    }
    if (interfaces.empty())
        interfaces = config::interfaces_with_endpoint_names();
    auto options = config::default_resolve_options();
    if (!options) {
        std::fprintf(stderr, "%s\n", options.error().message.c_str());
        return 1;
    }
    options->retries = 0; // a timer runs this again soon; it must not hang meanwhile
    bool ok = true;
    for (const auto& i : interfaces)
        ok = reresolve(inv, i, if_stale, *options) && ok;
    std::fflush(stdout);
    return ok ? 0 : 1;
}

} // namespace wgx::cli
