#pragma once
// The three calls every tool uses to reach an interface, choosing the backend as wg does:
// the UAPI socket /var/run/wireguard/IF.sock when it exists, else kernel generic netlink.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::ipc {

/// Full state of `ifname`. Error::code is an errno (ENODEV for no such interface, ...).
Result<model::Device> get_device(const std::string& ifname);
/// Applies a (partial) update to the interface `update.name`.
Result<void> set_device(const model::Device& update);
/// Every WireGuard interface: UAPI sockets and kernel links, in wg's order.
Result<std::vector<std::string>> list_devices();

} // namespace wgx::ipc
