#pragma once
// PreUp/PostUp/PreDown/PostDown: each is echoed and run by bash as wg-quick runs it
// (`set -e -o pipefail`, extglob, LC_ALL=C, `%i` replaced by the interface name).
#include <string>
#include <vector>

#include "base/result.hpp"
#include "quick/plan.hpp"

namespace wgx::quick {

/// Every "%i" replaced by `interface`.
std::string expand_hook(const std::string& hook, const std::string& interface);

/// Runs `hooks` in order with INTERFACE and CONFIG_FILE in the environment; the first that
/// fails stops the rest. Error: "`HOOK' failed with exit status N".
Result<void> run_hooks(const std::vector<std::string>& hooks, const std::string& interface,
                       const std::string& config_file, const Echo& echo);

} // namespace wgx::quick
