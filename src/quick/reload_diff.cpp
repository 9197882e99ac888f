#include "quick/reload_diff.hpp"

#include <algorithm>

namespace wgx::quick {

namespace {

bool link_local(const IpPrefix& p) {
    return p.address.is_v6() && p.address.bytes[0] == 0xfe && (p.address.bytes[1] & 0xc0) == 0x80;
}

bool contains(const std::vector<IpPrefix>& v, const IpPrefix& p) {
    return std::find(v.begin(), v.end(), p) != v.end();
}

/// The subnet routes the kernel adds for `addresses` (none for host addresses).
std::vector<IpPrefix> subnet_routes(const std::vector<IpPrefix>& addresses) {
    std::vector<IpPrefix> out;
    for (const auto& a : addresses)
        if (a.cidr < a.address.max_prefix() && !link_local(a))
            out.push_back(a.masked());
    return out;
}

bool covered_by(const IpPrefix& p, const std::vector<IpPrefix>& routes) {
    for (const auto& r : routes)
        if (r.address.family == p.address.family && r.cidr <= p.cidr && r.contains(p.address))
            return true;
    return false;
}

} // namespace

ReloadDiff diff_link(const LiveLink& live, const DesiredLink& desired) {
    ReloadDiff d;
    for (const auto& a : desired.addresses)
        if (!contains(live.addresses, a) && !contains(d.add_addresses, a))
            d.add_addresses.push_back(a);
    for (const auto& a : live.addresses)
        if (!link_local(a) && !contains(desired.addresses, a))
            d.delete_addresses.push_back(a);
    if (desired.mtu && desired.mtu != live.mtu)
        d.mtu = desired.mtu;

    const auto live_kernel = subnet_routes(live.addresses);
    const auto desired_kernel = subnet_routes(desired.addresses);
    std::vector<IpPrefix> wanted;
    for (const auto& r : desired.routes)
        if (!covered_by(r, desired_kernel) && !contains(wanted, r.masked()))
            wanted.push_back(r.masked());
    for (const auto& r : wanted)
        if (!contains(live.routes, r))
            d.add_routes.push_back(r);
    for (const auto& r : live.routes) {
        bool kernel_made = contains(live_kernel, r) || link_local(r);
        if (!kernel_made && !contains(wanted, r))
            d.delete_routes.push_back(r);
    }
    return d;
}

} // namespace wgx::quick
