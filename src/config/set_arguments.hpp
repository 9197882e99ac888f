#pragma once
// The `wg set <interface> ...` argument grammar: listen-port, fwmark, private-key FILE, and per
// peer remove / preshared-key FILE / endpoint / persistent-keepalive / allowed-ips, into one
// partial update. Messages and acceptance follow wg 1.0.20210914; in addition, allowed-ips
// entries may carry "+" (add without replacing) or "-" (remove), as the newest wg allows.
#include <functional>
#include <span>
#include <string>

#include "base/result.hpp"
#include "config/config_reader.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// Side channels of the parse: warnings (wg prints and goes on) and endpoint resolution.
struct SetArgumentOptions {
    /// Receives e.g. "Warning: AllowedIP has nonzero host part: 10.0.0.1/8" (default: stderr).
    std::function<void(const std::string&)> warn;
    /// How endpoint names are resolved (default: default_resolve_options(), read only when an
    /// endpoint is given, as wg reads WG_ENDPOINT_RESOLUTION_RETRIES).
    std::function<Result<ResolveOptions>()> resolve_options;
};

/// Parses the arguments after the interface name. The result's name is left empty.
/// Error::message is wg's one-line message, e.g. "Invalid argument: bogus".
Result<model::Device> parse_set_arguments(std::span<const std::string> args,
                                          const SetArgumentOptions& options = {});

/// Reads a key file as `wg set ... private-key FILE` does: 44 base64 characters, then only
/// whitespace; an empty file (or /dev/null) gives the zero key, which removes the key.
Result<model::Key> read_key_file(const std::string& path);

/// Value parsers of the grammar, exposed for tests. Each returns wg's message on failure.
Result<std::uint16_t> parse_listen_port(const std::string& value);
Result<std::uint32_t> parse_fwmark(const std::string& value);
Result<std::uint16_t> parse_persistent_keepalive(const std::string& value);
/// Parses "a/n,b,-c/m,+d" (spaces already stripped) into `peer`: sets replace_allowed_ips
/// unless an entry has a +/- sign; "-" entries get remove = true.
Result<void> parse_allowed_ips(model::Peer& peer, const std::string& value,
                               const std::function<void(const std::string&)>& warn);

} // namespace wgx::config
