#pragma once
// Network interfaces (links): find, create a kernel `wireguard` link, delete, set MTU and up.
#include <optional>
#include <string>

#include "base/result.hpp"
#include "netlink/socket.hpp"

namespace wgx::netlink {

/// What `ip link show` tells about a link.
struct LinkInfo {
    int index = 0;
    std::string name;
    unsigned mtu = 0;
    unsigned flags = 0; // IFF_*
};

/// The link named `name` in this network namespace, if any.
Result<std::optional<LinkInfo>> find_link(Socket& sock, const std::string& name);
/// The link with index `index`, if any.
Result<std::optional<LinkInfo>> find_link(Socket& sock, int index);

/// `ip link add NAME type wireguard`. Fails with EOPNOTSUPP when the kernel lacks the module.
/// Undo: delete_link.
Result<void> create_wireguard_link(Socket& sock, const std::string& name);
/// `ip link delete dev NAME`.
Result<void> delete_link(Socket& sock, const std::string& name);
/// `ip link set mtu MTU up dev NAME` (one request, as ip sends it).
Result<void> set_link_mtu_up(Socket& sock, int index, unsigned mtu);

} // namespace wgx::netlink
