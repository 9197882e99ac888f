#pragma once
// Keeps the engine's memory, and with it every private, preshared, ephemeral and session key,
// out of swap: mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT). MCL_ONFAULT locks pages only as
// they are touched, so the resident size stays what it would be without locking.
#include <optional>
#include <string>
#include <string_view>

namespace wgx::engine {

/// Whether this process may lock memory without a limit: CAP_IPC_LOCK in the effective set
/// (read from /proc/self/status's CapEff line) or an unlimited RLIMIT_MEMLOCK. Under a limit,
/// MCL_FUTURE would make every allocation past it fail, so the engine does not lock then.
bool may_lock_without_limit(std::string_view proc_self_status, bool memlock_unlimited);

/// Locks all current and future memory when allowed. Returns nothing on success, else the one
/// warning line to log (the engine runs on without locking).
std::optional<std::string> lock_memory();

} // namespace wgx::engine
