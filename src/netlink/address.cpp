#include "netlink/address.hpp"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "netlink/attr.hpp"

namespace wgx::netlink {

namespace {

Result<void> change_address(Socket& sock, int type, int flags, int ifindex,
                            const IpPrefix& prefix) {
    MsgPtr msg(nlmsg_alloc_simple(type, flags));
    ifaddrmsg ifa{};
    ifa.ifa_family = std::uint8_t(prefix.address.family);
    ifa.ifa_prefixlen = prefix.cidr;
    ifa.ifa_index = std::uint32_t(ifindex);
    // iproute2's default_scope(): loopback addresses get host scope, all others global.
    ifa.ifa_scope = prefix.address.is_v4() && prefix.address.bytes[0] == 127 ? RT_SCOPE_HOST : 0;
    if (!msg || nlmsg_append(msg.get(), &ifa, sizeof ifa, NLMSG_ALIGNTO) < 0 ||
        !put_address(msg.get(), IFA_LOCAL, prefix.address) ||
        !put_address(msg.get(), IFA_ADDRESS, prefix.address))
        return make_error("Cannot build netlink message", ENOMEM);
    return sock.request(msg.release());
}

} // namespace

Result<void> add_address(Socket& sock, int ifindex, const IpPrefix& prefix) {
    return change_address(sock, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, prefix);
}

Result<void> delete_address(Socket& sock, int ifindex, const IpPrefix& prefix) {
    return change_address(sock, RTM_DELADDR, 0, ifindex, prefix);
}

Result<std::vector<IpPrefix>> list_addresses(Socket& sock, int ifindex, int family) {
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP));
    ifaddrmsg ifa{};
    ifa.ifa_family = std::uint8_t(family);
    if (!msg || nlmsg_append(msg.get(), &ifa, sizeof ifa, NLMSG_ALIGNTO) < 0)
        return make_error("Cannot build netlink message", ENOMEM);
    std::vector<IpPrefix> out;
    auto r = sock.dump(msg.release(), [&](nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWADDR)
            return;
        auto* a = static_cast<ifaddrmsg*>(nlmsg_data(nlh));
        if (int(a->ifa_index) != ifindex)
            return;
        nlattr* tb[IFA_MAX + 1] = {};
        if (nlmsg_parse(nlh, sizeof *a, tb, IFA_MAX, nullptr) < 0)
            return;
        // ip shows IFA_LOCAL when present (the address itself), else IFA_ADDRESS.
        auto addr = get_address(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], a->ifa_family);
        if (addr)
            out.push_back(IpPrefix{*addr, a->ifa_prefixlen});
    });
    if (!r)
        return r.error();
    return out;
}

} // namespace wgx::netlink
