#pragma once
// Picking a client's address: the lowest one in the server's subnet that nobody holds yet.
// Pure, so exhaustion and the corner cases are unit tests.
#include <span>
#include <vector>

#include "base/ip.hpp"
#include "base/result.hpp"

namespace wgx::quick {

/// The lowest address of `server_address`'s subnet (the prefix with its host bits cleared) that
/// is not the IPv4 network or broadcast address, not the IPv6 all-zero host, and inside none
/// of `taken` (the server's own addresses and the peers' AllowedIPs). A taken prefix as wide
/// as the subnet or wider is a route, not an assignment, and does not count. Errors, one line
/// each: a /31, /32, /127 or /128 server address has no pool; every address is taken.
Result<IpAddress> lowest_free_address(const IpPrefix& server_address,
                                      std::span<const IpPrefix> taken);

/// Whether an assignment in `taken` (a prefix inside `subnet` and narrower) holds `address`.
bool address_taken(const IpAddress& address, const IpPrefix& subnet,
                   std::span<const IpPrefix> taken);

} // namespace wgx::quick
