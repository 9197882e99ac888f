#pragma once
// The safe `save`: the file as the user wrote it (comments, peer names, blank lines, key order,
// keys wgx does not know) with only the values that differ from the running interface changed.
#include <string>
#include <string_view>
#include <vector>

#include "base/ip.hpp"
#include "config/config_reader.hpp"
#include "model/device.hpp"

namespace wgx::quick {

/// The running interface as save sees it.
struct LiveConfig {
    model::Device device; // a get of the interface
    std::vector<IpPrefix> addresses;
    std::vector<std::string> nameservers;
    unsigned mtu = 0;
};

/// `file_text` (read as `file`) brought to `live`:
/// - Address / DNS servers: when the set differs, the first line gets the live list (DNS keeps
///   its search domains) and the other lines of that key go; MTU, ListenPort, FwMark and
///   PrivateKey only when the file has the line and the value differs (an absent ListenPort or
///   FwMark means "chosen at up", not a value to pin);
/// - a [Peer] the interface no longer has is removed with its lines; one it has gets its
///   AllowedIPs (ExcludedIPs lines go when the compiled set no longer matches),
///   PersistentKeepalive and PresharedKey brought to the live values, and a numeric Endpoint
///   line updated (a host name is kept: it is what the user wants resolved);
///   PresharedKeyFile and PrivateKeyFile are never replaced by inline keys;
/// - peers only the interface has are appended as `showconf` writes them.
/// A changed line keeps its key's spelling and its trailing comment.
SecretString merge_saved_config(std::string_view file_text, const config::ConfigFile& file,
                                const LiveConfig& live);

} // namespace wgx::quick
