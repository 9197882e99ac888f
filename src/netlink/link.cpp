#include "netlink/link.hpp"

#include <cerrno>
#include <cstring>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

namespace wgx::netlink {

namespace {

LinkInfo info_of(rtnl_link* link) {
    LinkInfo info;
    info.index = rtnl_link_get_ifindex(link);
    if (const char* n = rtnl_link_get_name(link))
        info.name = n;
    info.mtu = rtnl_link_get_mtu(link);
    info.flags = rtnl_link_get_flags(link);
    return info;
}

Result<std::optional<LinkInfo>> lookup(Socket& sock, int index, const char* name) {
    rtnl_link* link = nullptr;
    int err = rtnl_link_get_kernel(sock.get(), index, name, &link);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV || err == -NLE_INVAL)
        return std::optional<LinkInfo>{};
    if (err < 0)
        return make_error(std::string("Cannot find device: ") + nl_geterror(err), ENODEV);
    LinkInfo info = info_of(link);
    rtnl_link_put(link);
    return std::optional<LinkInfo>(std::move(info));
}

MsgPtr link_message(int type, int flags, int index, unsigned change, unsigned up_flags) {
    MsgPtr msg(nlmsg_alloc_simple(type, flags));
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = index;
    ifi.ifi_change = change;
    ifi.ifi_flags = up_flags;
    if (msg && nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) < 0)
        msg.reset();
    return msg;
}

Error no_memory() {
    return make_error("Cannot build netlink message", ENOMEM);
}

} // namespace

Result<std::optional<LinkInfo>> find_link(Socket& sock, const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ)
        return std::optional<LinkInfo>{};
    return lookup(sock, 0, name.c_str());
}

Result<std::optional<LinkInfo>> find_link(Socket& sock, int index) {
    return lookup(sock, index, nullptr);
}

Result<void> create_wireguard_link(Socket& sock, const std::string& name) {
    MsgPtr msg = link_message(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
    if (!msg || nla_put_string(msg.get(), IFLA_IFNAME, name.c_str()) < 0)
        return no_memory();
    nlattr* info = nla_nest_start(msg.get(), IFLA_LINKINFO);
    if (!info || nla_put_string(msg.get(), IFLA_INFO_KIND, "wireguard") < 0)
        return no_memory();
    nla_nest_end(msg.get(), info);
    return sock.request(msg.release());
}

Result<void> delete_link(Socket& sock, const std::string& name) {
    MsgPtr msg = link_message(RTM_DELLINK, 0, 0, 0, 0);
    if (!msg || nla_put_string(msg.get(), IFLA_IFNAME, name.c_str()) < 0)
        return no_memory();
    return sock.request(msg.release());
}

Result<void> set_link_mtu_up(Socket& sock, int index, unsigned mtu) {
    MsgPtr msg = link_message(RTM_NEWLINK, 0, index, IFF_UP, IFF_UP);
    if (!msg || nla_put_u32(msg.get(), IFLA_MTU, mtu) < 0)
        return no_memory();
    return sock.request(msg.release());
}

} // namespace wgx::netlink
