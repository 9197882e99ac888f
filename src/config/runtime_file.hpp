#pragma once
// What wgx-quick knows about an interface it brought up and wgx wants later: the runtime file
// /run/wgx-quick/IF.runtime, beside wgx-quick's undo record of the same interface. config/ owns
// its format so that wgx (cli/) can read what wgx-quick (quick/) wrote without either including
// the other. The format is "Key = Value" lines; readers skip keys they do not know, so later
// writers can add keys:
//   ConfigPath = /etc/wireguard/wg0.conf          the file the interface came up from
//   Endpoint = PUBLIC-KEY HOST:PORT               a peer's Endpoint as the file named it
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// A peer whose Endpoint is a host name: wg only ever sees the address the name had at `up`;
/// `wgx reresolve` looks the name up again, `wgx show --names` prints it.
struct EndpointName {
    model::Key public_key;
    std::string endpoint; // "host:port" or "[host]:port", as the file gave it
};

/// The runtime state of one interface.
struct RuntimeState {
    /// Absolute path of the configuration file the interface was brought up from.
    std::string config_path;
    /// The peers whose Endpoint is a name, in file order.
    std::vector<EndpointName> endpoints;
};

/// /run/wgx-quick, or $WGX_QUICK_STATE_DIR when set (tests, unusual systems): the one state
/// directory of wgx-quick, shared with its undo records.
std::string runtime_dir();
/// runtime_dir()/IF.runtime.
std::string runtime_file_path(const std::string& interface);

/// The file's text for `state`.
std::string format_runtime_state(const RuntimeState& state);
/// Parses the file's text; a line without '=', or an Endpoint value that is not
/// "PUBLIC-KEY HOST:PORT", is an error naming SOURCE:LINE.
Result<RuntimeState> parse_runtime_state(std::string_view text, const std::string& source);

/// Writes the file atomically (0600), creating runtime_dir() (0755) when missing.
Result<void> write_runtime_state(const std::string& interface, const RuntimeState& state);
/// The state of `interface`: nullopt when there is no file; an error when it cannot be read or
/// parsed.
Result<std::optional<RuntimeState>> load_runtime_state(const std::string& interface);
/// The state of `interface`; nullopt when there is no file or it cannot be read or parsed.
std::optional<RuntimeState> read_runtime_state(const std::string& interface);
/// Removes the file; a missing file is not an error.
Result<void> remove_runtime_state(const std::string& interface);
/// The interfaces that have a runtime file, sorted.
std::vector<std::string> interfaces_with_runtime_state();

} // namespace wgx::config
