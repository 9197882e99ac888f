#include "cli/cryptokey_match.hpp"

#include <algorithm>

namespace wgx::cli {

CryptokeyMatch match_cryptokey(const model::Device& device, const IpAddress& address) {
    std::vector<CryptokeyEntry> all;
    for (const auto& peer : device.peers)
        for (const auto& a : peer.allowed_ips)
            if (a.prefix.address.family == address.family && a.prefix.contains(address))
                all.push_back({&peer, a.prefix});
    // Longest first; the kernel and the engines keep one peer per prefix, so ties do not
    // happen on a live device.
    std::stable_sort(all.begin(), all.end(), [](const CryptokeyEntry& a, const CryptokeyEntry& b) {
        return a.prefix.cidr > b.prefix.cidr;
    });
    CryptokeyMatch m;
    if (all.empty())
        return m;
    m.chosen = all.front();
    m.shadowed.assign(all.begin() + 1, all.end());
    return m;
}

std::string peer_label(const NamedDevice& device, const model::Peer& peer) {
    return device.name_of(peer).value_or(peer.public_key.to_base64());
}

} // namespace wgx::cli
