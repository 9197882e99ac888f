#pragma once
// Asking a userspace implementation for wgx's own counters (uapi/wgx_counters.hpp) over its
// UAPI socket. Only wgx-engine answers; the kernel module has no socket.
#include <string>

#include "base/result.hpp"
#include "uapi/wgx_counters.hpp"

namespace wgx::ipc {

/// The counters of `ifname`; Error::code EOPNOTSUPP when the implementation does not answer
/// the request (wireguard-go) or the interface has no UAPI socket (the kernel module).
Result<uapi::WgxCounters> get_wgx_counters(const std::string& ifname);

} // namespace wgx::ipc
