#pragma once
// Cryptokey routing as the engine applies it to an outgoing packet: the peer whose allowed IP
// is the longest prefix containing the destination, and the shorter prefixes (of any peer)
// that also contain it but lose to it.
#include <optional>
#include <string>
#include <vector>

#include "cli/named_device.hpp"

namespace wgx::cli {

/// One allowed-IPs entry that contains the address.
struct CryptokeyEntry {
    const model::Peer* peer = nullptr;
    IpPrefix prefix;
};

struct CryptokeyMatch {
    /// The winner: the longest containing prefix (nullopt: no peer takes the address).
    std::optional<CryptokeyEntry> chosen;
    /// The other containing prefixes, longest first: shadowed by the chosen one.
    std::vector<CryptokeyEntry> shadowed;
};

/// Matches `address` against every peer's allowed IPs on `device`.
CryptokeyMatch match_cryptokey(const model::Device& device, const IpAddress& address);

/// A peer as people read it: its name, else its key (base64).
std::string peer_label(const NamedDevice& device, const model::Peer& peer);

} // namespace wgx::cli
