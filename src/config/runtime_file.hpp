#pragma once
// What wgx-quick knows about an interface it brought up and wgx wants later: the runtime file
// /run/wgx/IF.runtime. config/ owns its format so that wgx (cli/) can read what wgx-quick
// (quick/) wrote without either including the other. The format is "Key = Value" lines;
// readers ignore keys they do not know, so later writers can add keys.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace wgx::config {

/// The runtime state of one interface.
struct RuntimeState {
    /// Absolute path of the configuration file the interface was brought up from.
    std::string config_path;
};

/// /run/wgx, or $WGX_RUNTIME_DIR when set (tests, unusual systems).
std::string runtime_dir();
/// runtime_dir()/IF.runtime.
std::string runtime_file_path(const std::string& interface);

/// The file's text for `state`.
std::string format_runtime_state(const RuntimeState& state);
/// Parses the file's text; a line without '=' is an error naming SOURCE:LINE.
Result<RuntimeState> parse_runtime_state(std::string_view text, const std::string& source);

/// Writes the file atomically (0600), creating runtime_dir() (0755) when missing.
Result<void> write_runtime_state(const std::string& interface, const RuntimeState& state);
/// The state of `interface`; nullopt when there is no file or it cannot be read or parsed.
std::optional<RuntimeState> read_runtime_state(const std::string& interface);
/// Removes the file; a missing file is not an error.
Result<void> remove_runtime_state(const std::string& interface);

} // namespace wgx::config
