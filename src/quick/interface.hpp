#pragma once
// Creating the interface as wg-quick's add_if() does: a kernel `wireguard` link, else a
// userspace implementation.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "netlink/socket.hpp"
#include "quick/plan.hpp"

namespace wgx::quick {

/// The userspace implementation to start: $WGX_QUICK_USERSPACE_IMPLEMENTATION, else
/// $WG_QUICK_USERSPACE_IMPLEMENTATION, else the wgx-engine next to this binary (or on PATH).
std::string userspace_implementation();

/// Creates `interface`. The kernel is tried first unless $WGX_QUICK_USERSPACE_IMPLEMENTATION
/// is set (then userspace is forced). On success, and also when a userspace implementation
/// failed after it may have created something, `plan` gets a DeleteLink.
Result<void> add_interface(netlink::Socket& sock, const std::string& interface, Plan& plan,
                           const Echo& echo);

} // namespace wgx::quick
