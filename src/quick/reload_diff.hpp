#pragma once
// `reload`'s comparison of the running interface with its file, for what lives outside wg's
// model: addresses, MTU and routes. Pure, so each case is a unit test.
#include <optional>
#include <string>
#include <vector>

#include "base/ip.hpp"

namespace wgx::quick {

/// The interface as it runs.
struct LiveLink {
    std::vector<IpPrefix> addresses;
    unsigned mtu = 0;
    /// Unicast routes through the interface in the table reload manages (main or Table =),
    /// kernel-made ones included; default routes are left out (see ReloadDiff::full_tunnel).
    std::vector<IpPrefix> routes;
};

/// The interface as the file describes it.
struct DesiredLink {
    std::vector<IpPrefix> addresses;
    unsigned mtu = 0;
    /// routes_in_order() of the file's peers, default routes left out; empty with Table = off.
    std::vector<IpPrefix> routes;
};

/// What differs; applied in this order (adds before deletes keep traffic flowing).
struct ReloadDiff {
    std::vector<IpPrefix> add_addresses;
    std::optional<unsigned> mtu;
    std::vector<IpPrefix> add_routes;
    std::vector<IpPrefix> delete_routes;
    std::vector<IpPrefix> delete_addresses;
};

/// Addresses compare as written (192.0.2.1/24 and 192.0.2.1/25 differ); IPv6 link-local
/// addresses the kernel adds are not ours. Routes the kernel makes for an address's subnet
/// (and fe80::/64) are neither added nor deleted; a desired route that such a subnet covers
/// is not added (as up does not add it).
ReloadDiff diff_link(const LiveLink& live, const DesiredLink& desired);

} // namespace wgx::quick
