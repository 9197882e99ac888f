#pragma once
// The `wg set <interface> ...` argument grammar: listen-port, fwmark, private-key FILE, and per
// peer remove / preshared-key FILE / endpoint / persistent-keepalive / allowed-ips, into one
// partial update. Messages and acceptance follow wg 1.0.20210914; in addition, allowed-ips
// entries may carry "+" (add without replacing) or "-" (remove), as the newest wg allows.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "config/config_reader.hpp"
#include "config/config_values.hpp"
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

/// Parses one allowed-ips argument (spaces already stripped) into `peer`: sets
/// replace_allowed_ips unless an entry has a "+" or "-" sign; "-" entries get remove = true.
/// The entries themselves are read by config_values' AllowedIPs grammar.
Result<void> parse_set_allowed_ips(model::Peer& peer, std::string_view value,
                                   std::vector<std::string>& warnings);

} // namespace wgx::config
