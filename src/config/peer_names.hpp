#pragma once
// Peer names: a `# Name = laptop` or `# friendly_name = laptop` comment line inside a [Peer]
// section (the convention the Prometheus exporters for WireGuard read) names that peer.
// wg and wg-quick ignore the comment, so the file stays valid for both.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wgx::config {

/// One named peer: its public key as written (base64) and its name.
struct PeerName {
    std::string public_key;
    std::string name;
};

/// The names in a configuration file's text, in file order. A [Peer] without a name, or with
/// a name but no PublicKey, gives nothing; of two name lines in one section the first counts.
std::vector<PeerName> read_peer_names(std::string_view text);

/// The name given to `public_key` (base64), if any.
std::optional<std::string> name_of(const std::vector<PeerName>& names, std::string_view public_key);
/// The public key (base64) of the peer called `name`; nullopt when no peer or more than one
/// peer has that name (an ambiguous name must not pick a peer).
std::optional<std::string> key_of(const std::vector<PeerName>& names, std::string_view name);

} // namespace wgx::config
