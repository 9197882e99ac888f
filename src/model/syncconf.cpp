#include "model/syncconf.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "crypto/key.hpp"

namespace wgx::model {

namespace {

/// Position of each peer by public key: a device may hold 10,000 peers, and syncconf must stay
/// linear in them (public keys are not secret, so a plain hash index is fine).
using PeerIndex = std::unordered_map<Key, std::size_t, crypto::PublicKeyHash>;

/// A file may name one peer in several [Peer] sections; wg applies them in order, so the
/// effective peer is their merge (a later section's AllowedIPs replace the earlier ones).
std::vector<Peer> merged_peers(const std::vector<Peer>& peers) {
    std::vector<Peer> out;
    PeerIndex index;
    index.reserve(peers.size());
    for (const auto& p : peers) {
        auto [slot, fresh] = index.try_emplace(p.public_key, out.size());
        if (fresh) {
            out.push_back(p);
            continue;
        }
        auto it = out.begin() + static_cast<std::ptrdiff_t>(slot->second);
        if (p.preshared_key)
            it->preshared_key = p.preshared_key;
        if (p.endpoint)
            it->endpoint = p.endpoint;
        if (p.persistent_keepalive)
            it->persistent_keepalive = p.persistent_keepalive;
        if (p.replace_allowed_ips) {
            it->allowed_ips.clear();
            it->replace_allowed_ips = true;
        }
        it->allowed_ips.insert(it->allowed_ips.end(), p.allowed_ips.begin(), p.allowed_ips.end());
    }
    return out;
}

/// wg syncconf re-sends every peer of the file, in order, so a prefix the file lists for
/// several peers ends with the last one to claim it. The diff sends only changed peers, so it
/// first settles that ownership by replaying the sections, and leaves each peer (sent with
/// replace_allowed_ips) only the prefixes it keeps, in its own order.
void settle_shared_prefixes(std::vector<Peer>& want, const PeerIndex& wanted,
                            const std::vector<Peer>& sections) {
    std::map<IpPrefix, std::size_t> owner;
    std::vector<std::vector<IpPrefix>> claimed(want.size());
    for (const auto& s : sections) {
        std::size_t who = wanted.at(s.public_key);
        if (s.replace_allowed_ips) {
            for (const auto& m : claimed[who])
                if (auto it = owner.find(m); it != owner.end() && it->second == who)
                    owner.erase(it);
            claimed[who].clear();
        }
        for (const auto& a : s.allowed_ips) {
            auto m = a.prefix.masked();
            if (a.remove) {
                if (auto it = owner.find(m); it != owner.end() && it->second == who)
                    owner.erase(it);
            } else {
                owner[m] = who;
                claimed[who].push_back(m);
            }
        }
    }
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (!want[i].replace_allowed_ips)
            continue;
        std::set<IpPrefix> seen;
        std::vector<AllowedIp> kept;
        for (const auto& a : want[i].allowed_ips) {
            auto m = a.prefix.masked();
            auto it = owner.find(m);
            if (!a.remove && it != owner.end() && it->second == i && seen.insert(m).second)
                kept.push_back(a);
        }
        want[i].allowed_ips = std::move(kept);
    }
}

/// The set of masked prefixes a list of allowed IPs amounts to (removals taken out), sorted.
/// A std::set keeps a peer with thousands of allowed IPs from going quadratic.
std::vector<IpPrefix> prefix_set(const std::vector<AllowedIp>& ips) {
    std::set<IpPrefix> set;
    for (const auto& a : ips) {
        if (a.remove)
            set.erase(a.prefix.masked());
        else
            set.insert(a.prefix.masked());
    }
    return {set.begin(), set.end()};
}

/// The fields of `want` that differ from `have`; nullopt when nothing does.
std::optional<Peer> peer_diff(const Peer& have, const Peer& want, const SyncOptions& options) {
    Peer d;
    d.public_key = want.public_key;
    bool changed = false;

    const Key zero{};
    const Key& have_psk = have.preshared_key ? *have.preshared_key : zero;
    if (want.preshared_key || options.clear_omitted_psk_and_keepalive) {
        const Key& want_psk = want.preshared_key ? *want.preshared_key : zero;
        if (!(have_psk == want_psk)) {
            d.preshared_key = want_psk;
            changed = true;
        }
    }
    if (want.endpoint && !(have.endpoint && *have.endpoint == *want.endpoint)) {
        d.endpoint = want.endpoint;
        changed = true;
    }
    if (want.endpoint_host) {
        d.endpoint_host = want.endpoint_host; // unresolved: cannot compare, send it
        changed = true;
    }
    if (want.persistent_keepalive || options.clear_omitted_psk_and_keepalive) {
        std::uint16_t have_ka = have.persistent_keepalive.value_or(0);
        std::uint16_t want_ka = want.persistent_keepalive.value_or(0);
        if (have_ka != want_ka) {
            d.persistent_keepalive = want_ka;
            changed = true;
        }
    }
    auto have_set = prefix_set(have.allowed_ips);
    if (want.replace_allowed_ips) {
        if (have_set != prefix_set(want.allowed_ips)) {
            d.replace_allowed_ips = true;
            d.allowed_ips = want.allowed_ips;
            changed = true;
        }
    } else {
        for (const auto& a : want.allowed_ips) {
            bool present = std::binary_search(have_set.begin(), have_set.end(), a.prefix.masked());
            if (present == a.remove) {
                d.allowed_ips.push_back(a);
                changed = true;
            }
        }
    }
    if (!changed)
        return std::nullopt;
    return d;
}

} // namespace

Device syncconf_diff(const Device& current, const Device& desired, const SyncOptions& options) {
    Device u;
    u.name = desired.name;
    if (desired.private_key &&
        !(current.private_key && *current.private_key == *desired.private_key))
        u.private_key = desired.private_key;
    if (desired.listen_port && current.listen_port.value_or(0) != *desired.listen_port)
        u.listen_port = desired.listen_port;
    if (desired.fwmark && current.fwmark.value_or(0) != *desired.fwmark)
        u.fwmark = desired.fwmark;

    auto want = merged_peers(desired.peers);
    PeerIndex wanted;
    wanted.reserve(want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
        wanted.emplace(want[i].public_key, i);
    settle_shared_prefixes(want, wanted, desired.peers);
    PeerIndex running;
    running.reserve(current.peers.size());
    for (std::size_t i = 0; i < current.peers.size(); ++i)
        running.emplace(current.peers[i].public_key, i);

    for (const auto& have : current.peers) {
        if (!wanted.count(have.public_key)) {
            Peer r;
            r.public_key = have.public_key;
            r.remove = true;
            u.peers.push_back(std::move(r));
        }
    }
    for (const auto& w : want) {
        auto found = running.find(w.public_key);
        const Peer* have = found == running.end() ? nullptr : &current.peers[found->second];
        if (!have) {
            Peer p = w;
            p.last_handshake.reset();
            p.rx_bytes.reset();
            p.tx_bytes.reset();
            p.protocol_version.reset();
            u.peers.push_back(std::move(p));
        } else if (auto d = peer_diff(*have, w, options)) {
            u.peers.push_back(std::move(*d));
        }
    }
    return u;
}

bool is_empty_update(const Device& update) {
    return !update.private_key && !update.listen_port && !update.fwmark && !update.replace_peers &&
           update.peers.empty();
}

} // namespace wgx::model
