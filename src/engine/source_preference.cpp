#include "engine/source_preference.hpp"

#include "netlink/route.hpp"

namespace wgx::engine {

bool SourcePreference::still_preferred(const Endpoint& to, const protocol::LocalSource& source) {
    IpAddress destination = to.address();
    if (source.ifindex == 0 || destination.family != source.address.family)
        return true;
    auto key = std::make_tuple(destination, source.address, source.ifindex);
    if (auto it = cache_.find(key); it != cache_.end())
        return it->second;
    if (!socket_ && !socket_failed_) {
        auto s = netlink::Socket::open();
        if (s)
            socket_.emplace(std::move(*s));
        else
            socket_failed_ = true;
    }
    if (!socket_)
        return true;
    bool preferred = true;
    auto route =
        netlink::get_route(*socket_, destination, netlink::RouteQuery{source.address, fwmark_});
    if (route) {
        // No route from this source at all (it is no longer ours): routing must choose anew.
        preferred = *route && (*route)->oif == int(source.ifindex);
    }
    cache_.emplace(key, preferred);
    return preferred;
}

} // namespace wgx::engine
