#pragma once
// `ip route get ADDRESS [from SOURCE] [mark MARK]`: which route the kernel picks for a packet,
// policy rules included, and the route entry in the table that matched (`fibmatch`).
#include <cstdint>
#include <optional>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "netlink/socket.hpp"

namespace wgx::netlink {

/// The packet asked about.
struct RouteQuery {
    IpAddress destination;
    /// `from`: the packet's source address (as when it was already chosen).
    std::optional<IpAddress> source;
    /// `mark`: the packet's fwmark (0: none).
    std::uint32_t mark = 0;
};

/// The kernel's answer.
struct RouteLookup {
    /// The entry that matched, as `ip route get fibmatch` prints it (e.g. 0.0.0.0/0).
    IpPrefix prefix;
    std::uint32_t table = 0;
    std::uint8_t type = 0; // RTN_UNICAST, RTN_LOCAL, RTN_BLACKHOLE, ...
    int oif = 0;           // 0 without an output device
    std::optional<IpAddress> gateway;
    /// The source address the kernel would give the packet.
    std::optional<IpAddress> source;
};

/// The route for `query`; nullopt when the kernel has none (unreachable, prohibited, ...).
Result<std::optional<RouteLookup>> lookup_route(Socket& sock, const RouteQuery& query);

} // namespace wgx::netlink
