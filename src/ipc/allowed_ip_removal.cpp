#include "ipc/allowed_ip_removal.hpp"

#include <algorithm>
#include <cerrno>

namespace wgx::ipc {

namespace {

bool same_prefix(const IpPrefix& a, const IpPrefix& b) {
    return a.masked() == b.masked();
}

bool peer_has_prefix(const model::Peer& p, const IpPrefix& prefix) {
    return std::any_of(p.allowed_ips.begin(), p.allowed_ips.end(),
                       [&](const model::AllowedIp& a) { return same_prefix(a.prefix, prefix); });
}

/// A host prefix from the documentation ranges that `peer` does not hold.
std::optional<IpPrefix> absent_prefix(const model::Peer& peer) {
    for (unsigned last = 255; last > 0; --last) {
        auto p = IpPrefix::parse("192.0.2." + std::to_string(last) + "/32");
        if (p && !peer_has_prefix(peer, *p))
            return p;
    }
    return std::nullopt;
}

} // namespace

bool has_allowed_ip_removals(const model::Device& update) {
    for (const auto& p : update.peers)
        for (const auto& a : p.allowed_ips)
            if (a.remove)
                return true;
    return false;
}

std::optional<model::Device> removal_probe(const model::Device& current) {
    for (const auto& peer : current.peers) {
        auto prefix = absent_prefix(peer);
        if (!prefix)
            continue;
        model::Device probe;
        probe.name = current.name;
        model::Peer p;
        p.public_key = peer.public_key;
        p.update_only = true;
        p.allowed_ips.push_back(model::AllowedIp{*prefix, true});
        probe.peers.push_back(std::move(p));
        return probe;
    }
    return std::nullopt;
}

model::Device emulate_allowed_ip_removals(const model::Device& update,
                                          const model::Device& current) {
    model::Device out = update;
    for (auto& peer : out.peers) {
        bool removes = std::any_of(peer.allowed_ips.begin(), peer.allowed_ips.end(),
                                   [](const model::AllowedIp& a) { return a.remove; });
        if (!removes || peer.remove)
            continue;
        const model::Peer* now = current.find_peer(peer.public_key);
        if (!now || peer.replace_allowed_ips) {
            // Nothing installed to remove from (or the list is replaced anyway): keep the
            // additions, apply the removals among the update's own entries in order.
            std::vector<model::AllowedIp> kept;
            for (const auto& a : peer.allowed_ips) {
                if (a.remove)
                    std::erase_if(kept, [&](const model::AllowedIp& k) {
                        return same_prefix(k.prefix, a.prefix);
                    });
                else
                    kept.push_back(a);
            }
            peer.allowed_ips = std::move(kept);
            continue;
        }
        std::vector<model::AllowedIp> result;
        for (const auto& a : now->allowed_ips)
            result.push_back(model::AllowedIp{a.prefix.masked(), false});
        for (const auto& a : peer.allowed_ips) {
            if (a.remove)
                std::erase_if(result, [&](const model::AllowedIp& k) {
                    return same_prefix(k.prefix, a.prefix);
                });
            else if (!std::any_of(result.begin(), result.end(), [&](const model::AllowedIp& k) {
                         return same_prefix(k.prefix, a.prefix);
                     }))
                result.push_back(model::AllowedIp{a.prefix, false});
        }
        peer.allowed_ips = std::move(result);
        peer.replace_allowed_ips = true;
    }
    return out;
}

Result<void> set_with_removals(Backend& backend, const model::Device& update, bool probe) {
    if (!has_allowed_ip_removals(update))
        return backend.set(update);
    auto current = backend.get(update.name);
    if (!current)
        return current.error();
    if (auto request = probe ? removal_probe(*current) : std::nullopt) {
        request->name = update.name;
        auto answer = backend.set(*request);
        if (answer)
            return backend.set(update); // native removals are understood
        if (answer.error().code != EINVAL)
            return answer.error();
    }
    return backend.set(emulate_allowed_ip_removals(update, *current));
}

} // namespace wgx::ipc
