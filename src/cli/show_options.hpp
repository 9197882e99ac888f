#pragma once
// wgx's own `show` flags (--json, --format=prometheus, --names, --stale-after S). They are taken
// out of the arguments before wg's grammar sees the rest, so without them `show` is wg's.
#include <chrono>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "cli/peer_status.hpp"

namespace wgx::cli {

enum class ShowFormat { wg, json, prometheus };

struct ShowOptions {
    ShowFormat format = ShowFormat::wg;
    /// --names: peer names beside their keys in the pretty form.
    bool names = false;
    std::chrono::seconds stale_after = REJECT_AFTER_TIME;
};

/// Removes wgx's flags from `args` (args[0], the subcommand, stays) and returns them.
/// Error: "Invalid format: `x'" or "Invalid stale-after: `x'" (also for a missing value).
Result<ShowOptions> take_show_options(std::vector<std::string>& args);

/// Parses a --stale-after value (whole seconds, 1 .. 10 years); nullopt when invalid.
std::optional<std::chrono::seconds> parse_stale_after(const std::string& text);

} // namespace wgx::cli
