#pragma once
// One model for a full configuration, a partial update and a read-back state (wg's
// wgdevice -> wgpeer -> wgallowedip with HAS_/REPLACE_/REMOVE flags, as optionals here).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ip.hpp"
#include "crypto/key.hpp"

namespace wgx::model {

using crypto::Key;

/// One allowed-IPs entry; `remove` marks a "-prefix" removal in an update.
struct AllowedIp {
    IpPrefix prefix;
    bool remove = false;

    bool operator==(const AllowedIp& o) const { return prefix == o.prefix && remove == o.remove; }
};

/// A peer. Absent optionals mean "not set / unchanged".
struct Peer {
    Key public_key;
    bool remove = false;      // remove this peer (update)
    bool update_only = false; // only change the peer if it exists (update)
    bool replace_allowed_ips = false;

    /// A zero key in an update removes the preshared key.
    std::optional<Key> preshared_key;
    std::optional<Endpoint> endpoint;
    /// An endpoint given by name (config files); resolved before it is sent.
    std::optional<std::string> endpoint_host;
    /// Seconds; 0 = off.
    std::optional<std::uint16_t> persistent_keepalive;
    std::vector<AllowedIp> allowed_ips;

    // Read-back state (get).
    std::optional<std::chrono::system_clock::time_point> last_handshake;
    std::optional<std::uint64_t> rx_bytes;
    std::optional<std::uint64_t> tx_bytes;
    std::optional<unsigned> protocol_version;
};

/// A device (interface). Absent optionals mean "not set / unchanged".
struct Device {
    std::string name;
    /// A zero key in an update removes the private key.
    std::optional<Key> private_key;
    /// Derived from private_key on read-back.
    std::optional<Key> public_key;
    std::optional<std::uint16_t> listen_port;
    /// 0 = off.
    std::optional<std::uint32_t> fwmark;
    bool replace_peers = false;
    std::vector<Peer> peers;

    Peer* find_peer(const Key& public_key);
    const Peer* find_peer(const Key& public_key) const;
};

} // namespace wgx::model
