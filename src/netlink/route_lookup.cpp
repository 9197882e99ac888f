#include "netlink/route_lookup.hpp"

#include <cerrno>

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "netlink/attr.hpp"

namespace wgx::netlink {

namespace {

/// One RTM_GETROUTE for `query`, with `flags` in rtm_flags (RTM_F_FIB_MATCH or 0).
Result<std::optional<RouteLookup>> ask(Socket& sock, const RouteQuery& query, unsigned flags) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETROUTE, 0));
    rtmsg rt{};
    rt.rtm_family = std::uint8_t(query.destination.family);
    rt.rtm_dst_len = std::uint8_t(query.destination.max_prefix());
    // RTM_F_LOOKUP_TABLE: report the table the lookup used (else the kernel says "main"),
    // as ip does.
    rt.rtm_flags = flags | RTM_F_LOOKUP_TABLE;
    bool ok = msg && nlmsg_append(msg.get(), &rt, sizeof rt, NLMSG_ALIGNTO) >= 0 &&
              put_address(msg.get(), RTA_DST, query.destination);
    if (ok && query.source)
        ok = put_address(msg.get(), RTA_SRC, *query.source);
    if (ok && query.mark)
        ok = nla_put_u32(msg.get(), RTA_MARK, query.mark) >= 0;
    if (!ok)
        return make_error("Cannot build netlink message", ENOMEM);
    // A source address in the request needs its own header field too, as ip sets it.
    if (query.source)
        static_cast<rtmsg*>(nlmsg_data(nlmsg_hdr(msg.get())))->rtm_src_len =
            std::uint8_t(query.source->max_prefix());
    std::optional<RouteLookup> out;
    auto r = sock.dump(msg.release(), [&](nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWROUTE)
            return;
        auto* reply = static_cast<rtmsg*>(nlmsg_data(nlh));
        nlattr* tb[RTA_MAX + 1] = {};
        if (nlmsg_parse(nlh, sizeof *reply, tb, RTA_MAX, nullptr) < 0)
            return;
        RouteLookup l;
        l.prefix.address.family = reply->rtm_family;
        if (auto dst = get_address(tb[RTA_DST], reply->rtm_family))
            l.prefix.address = *dst;
        l.prefix.cidr = reply->rtm_dst_len;
        l.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : reply->rtm_table;
        l.type = reply->rtm_type;
        if (tb[RTA_OIF])
            l.oif = int(nla_get_u32(tb[RTA_OIF]));
        l.gateway = get_address(tb[RTA_GATEWAY], reply->rtm_family);
        l.source = get_address(tb[RTA_PREFSRC], reply->rtm_family);
        out = l;
    });
    if (!r) {
        int e = r.error().code;
        if (e == ENETUNREACH || e == EHOSTUNREACH || e == EACCES || e == EINVAL || e == EAGAIN)
            return std::optional<RouteLookup>{};
        return r.error();
    }
    return out;
}

} // namespace

Result<std::optional<RouteLookup>> lookup_route(Socket& sock, const RouteQuery& query) {
    auto route = ask(sock, query, 0);
    if (!route || !*route)
        return route;
    // The plain answer names the packet's own address; the matched entry's prefix (and a
    // table of its own on older kernels) comes from a fibmatch lookup.
    auto entry = ask(sock, query, RTM_F_FIB_MATCH);
    if (entry && *entry) {
        (*route)->prefix = (*entry)->prefix;
        if ((*entry)->table)
            (*route)->table = (*entry)->table;
        if (!(*route)->gateway)
            (*route)->gateway = (*entry)->gateway;
    }
    return route;
}

} // namespace wgx::netlink
