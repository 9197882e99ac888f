#pragma once
// Converting between netlink address attributes and base's IpAddress.
#include <optional>

#include "base/ip.hpp"

struct nl_msg;
struct nlattr;

namespace wgx::netlink {

/// Appends `addr` as attribute `type` (4 or 16 bytes). False when the message is full.
bool put_address(nl_msg* msg, int type, const IpAddress& addr);
/// Reads a 4- or 16-byte address attribute of `family`.
std::optional<IpAddress> get_address(const nlattr* attr, int family);

} // namespace wgx::netlink
