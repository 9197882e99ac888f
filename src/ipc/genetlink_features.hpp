#pragma once
// What the running kernel's wireguard family supports, asked of the kernel itself.
#include "base/result.hpp"
#include "ipc/genetlink_policy.hpp"
#include "ipc/genetlink_socket.hpp"

namespace wgx::ipc::genetlink {

/// The CTRL_CMD_GETPOLICY dump of the family `family` over `sock`. EOPNOTSUPP (or another
/// errno) from kernels that cannot dump policies.
Result<PolicyDump> dump_policy(GenlSocket& sock, std::uint16_t family);

/// The wireguard family's policy on this kernel; EPROTONOSUPPORT without the module.
Result<PolicyDump> wireguard_policy();

} // namespace wgx::ipc::genetlink
