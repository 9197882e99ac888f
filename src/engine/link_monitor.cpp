#include "engine/link_monitor.hpp"

#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <fmt/format.h>

namespace wgx::engine {

bool batch_mentions_link(ByteView batch, int ifindex) {
    std::size_t offset = 0;
    while (batch.size() - offset >= sizeof(nlmsghdr)) {
        nlmsghdr hdr;
        std::memcpy(&hdr, batch.data() + offset, sizeof hdr);
        if (hdr.nlmsg_len < sizeof(nlmsghdr) || hdr.nlmsg_len > batch.size() - offset)
            break;
        if ((hdr.nlmsg_type == RTM_NEWLINK || hdr.nlmsg_type == RTM_DELLINK) &&
            hdr.nlmsg_len >= NLMSG_LENGTH(sizeof(ifinfomsg))) {
            ifinfomsg info;
            std::memcpy(&info, batch.data() + offset + NLMSG_HDRLEN, sizeof info);
            if (info.ifi_index == ifindex)
                return true;
        }
        offset += NLMSG_ALIGN(hdr.nlmsg_len);
    }
    return false;
}

bool batch_mentions_routes(ByteView batch) {
    std::size_t offset = 0;
    while (batch.size() - offset >= sizeof(nlmsghdr)) {
        nlmsghdr hdr;
        std::memcpy(&hdr, batch.data() + offset, sizeof hdr);
        if (hdr.nlmsg_len < sizeof(nlmsghdr) || hdr.nlmsg_len > batch.size() - offset)
            break;
        switch (hdr.nlmsg_type) {
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
        case RTM_NEWADDR:
        case RTM_DELADDR:
        case RTM_NEWRULE:
        case RTM_DELRULE:
            return true;
        default:
            break;
        }
        offset += NLMSG_ALIGN(hdr.nlmsg_len);
    }
    return false;
}

Result<LinkMonitor> LinkMonitor::open() {
    UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
    if (!fd)
        return make_error(fmt::format("Failed to open netlink socket: {}", std::strerror(errno)),
                          errno);
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    addr.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_IFADDR |
                     RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_RULE;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
        return make_error(fmt::format("Failed to bind netlink socket: {}", std::strerror(errno)),
                          errno);
    return LinkMonitor(std::move(fd));
}

MonitorEvents LinkMonitor::drain(int ifindex) {
    alignas(nlmsghdr) static std::uint8_t buffer[1 << 16];
    MonitorEvents events;
    for (int i = 0; i < 256; ++i) { // bounded: the loop must get back to the data path
        ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
        if (n < 0) {
            if (errno == ENOBUFS) // overrun: events were lost, so look again
                events = MonitorEvents{true, true};
            if (errno == EINTR || errno == ENOBUFS)
                continue;
            break;
        }
        ByteView batch(buffer, std::size_t(n));
        events.link = events.link || batch_mentions_link(batch, ifindex);
        events.routes = events.routes || batch_mentions_routes(batch);
    }
    return events;
}

} // namespace wgx::engine
