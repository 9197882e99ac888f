#pragma once
// Routes: add/delete a device route in a table, dump a family's routes, ask the kernel which
// route a packet would take (`ip route get`).
#include <cstdint>
#include <optional>
#include <vector>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "netlink/socket.hpp"

namespace wgx::netlink {

/// A route as wg-quick adds it: `ip -4|-6 route add DST dev IF [table TABLE]`.
struct RouteSpec {
    IpPrefix destination;
    int ifindex = 0;
    std::uint32_t table = 254; // RT_TABLE_MAIN
};

/// Adds `spec` as ip does (proto boot, scope link for IPv4). Undo: delete_route.
Result<void> add_route(Socket& sock, const RouteSpec& spec);
/// `ip route del DST dev IF table TABLE`.
Result<void> delete_route(Socket& sock, const RouteSpec& spec);

/// One route of a dump or of a lookup.
struct RouteEntry {
    IpPrefix destination;
    std::uint32_t table = 0;
    std::uint8_t type = 0; // RTN_*
    int oif = 0;           // 0: no output device (unreachable, blackhole, multipath)
    /// RTAX_MTU, unless locked (`mtu lock N` is not what wg-quick's `mtu N` pattern reads).
    std::optional<unsigned> mtu;
};

/// Every route of `family` in every table, in the kernel's order, without cloned (cache)
/// entries, as `ip route show table all` lists them.
Result<std::vector<RouteEntry>> list_routes(Socket& sock, int family);
/// What a route lookup pretends about the packet besides its destination.
struct RouteQuery {
    /// `from ADDRESS`: the source the packet would carry (must be local).
    std::optional<IpAddress> source;
    /// `mark N`: the packet's fwmark (0: none), as a socket with SO_MARK sends it.
    std::uint32_t mark = 0;
};

/// `ip route get ADDRESS [from SOURCE] [mark MARK]`: the route the kernel would use, or
/// nullopt when it has none (unreachable, or the source is not local); other failures are
/// errors.
Result<std::optional<RouteEntry>> get_route(Socket& sock, const IpAddress& address,
                                            const RouteQuery& query = {});

} // namespace wgx::netlink
