#include "netlink/route.hpp"

#include <cerrno>

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "netlink/attr.hpp"

namespace wgx::netlink {

namespace {

Error no_memory() {
    return make_error("Cannot build netlink message", ENOMEM);
}

Result<void> change_route(Socket& sock, int type, int flags, const RouteSpec& spec) {
    MsgPtr msg(nlmsg_alloc_simple(type, flags));
    rtmsg rt{};
    rt.rtm_family = std::uint8_t(spec.destination.address.family);
    rt.rtm_dst_len = spec.destination.cidr;
    // ip puts small table ids in the header and larger ones in RTA_TABLE only.
    rt.rtm_table = spec.table < 256 ? std::uint8_t(spec.table) : std::uint8_t(RT_TABLE_UNSPEC);
    if (type == RTM_NEWROUTE) {
        rt.rtm_protocol = RTPROT_BOOT;
        rt.rtm_scope = spec.destination.address.is_v4() ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        rt.rtm_type = RTN_UNICAST;
    } else {
        rt.rtm_scope = RT_SCOPE_NOWHERE;
    }
    if (!msg || nlmsg_append(msg.get(), &rt, sizeof rt, NLMSG_ALIGNTO) < 0 ||
        !put_address(msg.get(), RTA_DST, spec.destination.address) ||
        nla_put_u32(msg.get(), RTA_OIF, std::uint32_t(spec.ifindex)) < 0)
        return no_memory();
    if (spec.table >= 256 && nla_put_u32(msg.get(), RTA_TABLE, spec.table) < 0)
        return no_memory();
    return sock.request(msg.release());
}

std::optional<RouteEntry> parse_route(nlmsghdr* nlh) {
    if (nlh->nlmsg_type != RTM_NEWROUTE)
        return std::nullopt;
    auto* rt = static_cast<rtmsg*>(nlmsg_data(nlh));
    nlattr* tb[RTA_MAX + 1] = {};
    if (nlmsg_parse(nlh, sizeof *rt, tb, RTA_MAX, nullptr) < 0)
        return std::nullopt;
    RouteEntry e;
    e.destination.address.family = rt->rtm_family;
    if (auto dst = get_address(tb[RTA_DST], rt->rtm_family))
        e.destination.address = *dst;
    e.destination.cidr = rt->rtm_dst_len;
    e.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
    e.type = rt->rtm_type;
    if (tb[RTA_OIF])
        e.oif = int(nla_get_u32(tb[RTA_OIF]));
    if (tb[RTA_METRICS]) {
        nlattr* mx[RTAX_MAX + 1] = {};
        if (nla_parse_nested(mx, RTAX_MAX, tb[RTA_METRICS], nullptr) >= 0 && mx[RTAX_MTU]) {
            unsigned locked = mx[RTAX_LOCK] ? nla_get_u32(mx[RTAX_LOCK]) : 0;
            if (!(locked & (1u << RTAX_MTU)))
                e.mtu = nla_get_u32(mx[RTAX_MTU]);
        }
    }
    return e;
}

} // namespace

Result<void> add_route(Socket& sock, const RouteSpec& spec) {
    return change_route(sock, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, spec);
}

Result<void> delete_route(Socket& sock, const RouteSpec& spec) {
    return change_route(sock, RTM_DELROUTE, 0, spec);
}

Result<std::vector<RouteEntry>> list_routes(Socket& sock, int family) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP));
    rtmsg rt{};
    rt.rtm_family = std::uint8_t(family);
    if (!msg || nlmsg_append(msg.get(), &rt, sizeof rt, NLMSG_ALIGNTO) < 0)
        return no_memory();
    std::vector<RouteEntry> out;
    auto r = sock.dump(msg.release(), [&](nlmsghdr* nlh) {
        auto* hdr = static_cast<rtmsg*>(nlmsg_data(nlh));
        if (nlh->nlmsg_type != RTM_NEWROUTE || (hdr->rtm_flags & RTM_F_CLONED) ||
            hdr->rtm_family != family)
            return;
        if (auto e = parse_route(nlh))
            out.push_back(*e);
    });
    if (!r)
        return r.error();
    return out;
}

Result<std::optional<RouteEntry>> get_route(Socket& sock, const IpAddress& address,
                                            const RouteQuery& query) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETROUTE, 0));
    rtmsg rt{};
    rt.rtm_family = std::uint8_t(address.family);
    rt.rtm_dst_len = std::uint8_t(address.max_prefix());
    if (!msg || nlmsg_append(msg.get(), &rt, sizeof rt, NLMSG_ALIGNTO) < 0 ||
        !put_address(msg.get(), RTA_DST, address))
        return no_memory();
    if (query.source) {
        if (query.source->family != address.family)
            return std::optional<RouteEntry>{};
        auto* hdr = static_cast<rtmsg*>(nlmsg_data(nlmsg_hdr(msg.get())));
        hdr->rtm_src_len = std::uint8_t(query.source->max_prefix());
        if (!put_address(msg.get(), RTA_SRC, *query.source))
            return no_memory();
    }
    if (query.mark != 0 && nla_put_u32(msg.get(), RTA_MARK, query.mark) < 0)
        return no_memory();
    std::optional<RouteEntry> out;
    auto r = sock.dump(msg.release(), [&](nlmsghdr* nlh) {
        if (auto e = parse_route(nlh))
            out = *e;
    });
    if (!r) {
        int e = r.error().code;
        if (e == ENETUNREACH || e == EHOSTUNREACH || e == EACCES || e == EINVAL || e == EAGAIN ||
            e == EADDRNOTAVAIL)
            return std::optional<RouteEntry>{};
        return r.error();
    }
    return out;
}

} // namespace wgx::netlink
