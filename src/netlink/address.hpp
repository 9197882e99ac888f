#pragma once
// Interface addresses, as `ip address add/del/show` handles them.
#include <vector>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "netlink/socket.hpp"

namespace wgx::netlink {

/// `ip -4|-6 address add PREFIX dev IF`: local address with its prefix length, host scope for
/// 127/8 as ip chooses. Undo: delete_address.
Result<void> add_address(Socket& sock, int ifindex, const IpPrefix& prefix);
/// `ip -4|-6 address del PREFIX dev IF`.
Result<void> delete_address(Socket& sock, int ifindex, const IpPrefix& prefix);
/// The addresses of `ifindex` in the kernel's order (IPv4 first, then IPv6), as
/// `ip -brief address show dev IF` lists them; `family` AF_UNSPEC for both.
Result<std::vector<IpPrefix>> list_addresses(Socket& sock, int ifindex, int family);

} // namespace wgx::netlink
