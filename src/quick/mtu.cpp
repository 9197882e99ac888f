#include "quick/mtu.hpp"

#include "netlink/link.hpp"

#include <netinet/in.h>

namespace wgx::quick {

namespace {

/// wg-quick: the route's "mtu N" if it has one, else its device's MTU.
std::optional<unsigned> mtu_of(const std::optional<netlink::RouteEntry>& route,
                               RouteLookup& lookup) {
    if (!route)
        return std::nullopt;
    if (route->mtu)
        return route->mtu;
    if (route->oif)
        return lookup.link_mtu(route->oif);
    return std::nullopt;
}

bool has_scope(const Endpoint& e) {
    return e.family() == AF_INET6 &&
           reinterpret_cast<const sockaddr_in6*>(&e.storage)->sin6_scope_id != 0;
}

} // namespace

unsigned automatic_mtu(const std::vector<Endpoint>& endpoints, RouteLookup& lookup) {
    unsigned mtu = 0;
    for (const auto& e : endpoints) {
        if (!e.valid() || has_scope(e))
            continue;
        if (auto m = mtu_of(lookup.route_to(e.address()), lookup); m && *m > mtu)
            mtu = *m;
    }
    if (mtu == 0)
        if (auto m = mtu_of(lookup.first_default_route(), lookup); m && *m > mtu)
            mtu = *m;
    if (mtu == 0)
        mtu = 1500;
    return mtu - 80;
}

std::optional<netlink::RouteEntry> NetlinkRouteLookup::route_to(const IpAddress& address) {
    auto r = netlink::get_route(sock_, address);
    return r ? *r : std::nullopt;
}

std::optional<netlink::RouteEntry> NetlinkRouteLookup::first_default_route() {
    auto routes = netlink::list_routes(sock_, AF_INET);
    if (!routes)
        return std::nullopt;
    for (const auto& e : *routes)
        if (e.table == 254 && e.destination.cidr == 0)
            return e;
    return std::nullopt;
}

std::optional<unsigned> NetlinkRouteLookup::link_mtu(int ifindex) {
    auto l = netlink::find_link(sock_, ifindex);
    if (!l || !*l)
        return std::nullopt;
    return (*l)->mtu;
}

} // namespace wgx::quick
