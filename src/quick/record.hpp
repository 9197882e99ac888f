#pragma once
// The record `up` leaves under /run/wgx-quick/IF: the undo of every change that does not
// vanish with the interface, so that `down` undoes exactly what `up` did, even after the
// engine died and took its interface with it.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "quick/undo.hpp"

namespace wgx::quick {

/// config::runtime_dir(): /run/wgx-quick, or $WGX_QUICK_STATE_DIR (tests, unusual systems).
std::string state_dir();
/// state_dir()/IF.
std::string record_path(const std::string& interface);

/// Writes the record atomically (0600); an empty list removes it.
Result<void> write_record(const std::string& interface, const std::vector<Undo>& undos);
/// The record of `interface`, nullopt when there is none.
std::optional<std::vector<Undo>> read_record(const std::string& interface);
/// Whether another interface's record also set `sysctl_key` (then `down` leaves it alone, so
/// that one tunnel going down does not break another's default route).
bool sysctl_held_elsewhere(const std::string& interface, const std::string& sysctl_key);

} // namespace wgx::quick
