#pragma once
// Where wgx finds the names of an interface's peers: the configuration file wgx-quick brought
// the interface up from (its runtime file says which), else /etc/wireguard/IF.conf.
#include <optional>
#include <string>
#include <vector>

#include "config/peer_names.hpp"

namespace wgx::cli {

/// The configuration file that names the peers of `interface`.
std::string names_source(const std::string& interface);
/// The peer names of `interface`; empty when its file is missing or unreadable.
std::vector<config::PeerName> load_peer_names(const std::string& interface);

/// `argument` when it is a valid base64 key; else the key of the peer so named on `interface`;
/// else `argument` unchanged (so that the caller reports wg's bad-key error for it).
std::string resolve_peer_argument(const std::string& interface, const std::string& argument);

} // namespace wgx::cli
