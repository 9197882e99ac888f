#pragma once
// What addpeer hands the new client, and what it appends to the server's file: pure text.
#include <optional>
#include <string>
#include <vector>

#include "base/ip.hpp"
#include "base/secret_string.hpp"
#include "model/device.hpp"
#include "quick/peer_sections.hpp"

namespace wgx::quick {

/// Everything one addpeer decided.
struct NewPeer {
    std::string name;
    model::Key private_key; // the client's
    model::Key public_key;
    std::optional<model::Key> preshared_key;
    /// The client's addresses with the server subnet's prefix length (192.0.2.2/24); the
    /// server routes each as a host prefix (192.0.2.2/32).
    std::vector<IpPrefix> addresses;
    std::vector<std::string> dns;
    /// What the client sends into the tunnel (default: the server's subnets).
    std::vector<IpPrefix> client_allowed_ips;
    std::string server_endpoint; // "host:port"
    model::Key server_public_key;
    std::uint16_t keepalive = 25;
    /// Where --output wrote the client's file (kept in the server's file for showpeer).
    std::string output_path;
};

/// The client's own wg-quick file.
SecretString client_config_text(const NewPeer& peer);
/// The [Peer] section for the server's file: "[Peer]", "# Name = ...", PublicKey,
/// PresharedKey, AllowedIPs (host prefixes), "# ClientConfig = ..." when written to a file.
ConfigLines server_peer_section(const NewPeer& peer);
/// The same peer as a model update for the live interface (addconf's equivalent).
model::Peer server_peer_model(const NewPeer& peer);

} // namespace wgx::quick
