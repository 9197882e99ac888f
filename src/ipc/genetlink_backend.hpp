#pragma once
// The kernel's generic netlink family "wireguard" (linux/wireguard.h), via libnl-genl.
#include <memory>

#include "ipc/backend.hpp"

namespace wgx::ipc {

/// A backend talking to the kernel module. Its calls fail with EPROTONOSUPPORT when the
/// genetlink family is absent (no module), which wg reports as "Protocol not supported".
std::unique_ptr<Backend> make_genetlink_backend();

} // namespace wgx::ipc
