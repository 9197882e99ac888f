#include "engine/udp_sockets.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace wgx::engine {
namespace {

/// Why a family may be missing without that being an error: the kernel or the namespace has
/// no IPv6 (or no IPv4).
bool family_unavailable(int err) {
    return err == EAFNOSUPPORT || err == EPROTONOSUPPORT || err == EADDRNOTAVAIL;
}

int set_int(int fd, int level, int name, int value) {
    return ::setsockopt(fd, level, name, &value, sizeof value);
}

/// One socket of `family` bound to `port` (0 = random); the bound port in `bound`. -errno.
int open_one(sa_family_t family, std::uint16_t port, std::uint32_t fwmark, UniqueFd& out,
             std::uint16_t& bound) {
    UniqueFd fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd)
        return -errno;
    if (fwmark != 0 && set_int(fd.get(), SOL_SOCKET, SO_MARK, int(fwmark)) < 0)
        return -errno;
    sockaddr_storage ss{};
    socklen_t len;
    if (family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&ss);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        len = sizeof *in;
        if (set_int(fd.get(), IPPROTO_IP, IP_PKTINFO, 1) < 0)
            return -errno;
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        len = sizeof *in6;
        if (set_int(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0 ||
            set_int(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
            return -errno;
    }
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) < 0)
        return -errno;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) < 0)
        return -errno;
    bound = family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                              : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    out = std::move(fd);
    return 0;
}

Error bind_error(int err) {
    return make_error(fmt::format("failed to bind UDP sockets: {}", std::strerror(err)), err);
}

/// An IPv4-mapped IPv6 endpoint goes out of the IPv4 socket as plain IPv4.
Endpoint unmapped(const Endpoint& e) {
    if (e.family() != AF_INET6)
        return e;
    auto a = e.address();
    static const std::uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), prefix, 12) != 0)
        return e;
    return Endpoint::from(IpAddress::v4(a.bytes.data() + 12), e.port());
}

} // namespace

Result<UdpSockets> UdpSockets::open(std::uint16_t port, std::uint32_t fwmark) {
    // With a random port, the IPv6 socket may find the IPv4 one's port taken: try again.
    for (int attempt = 0; attempt < 100; ++attempt) {
        UdpSockets s;
        std::uint16_t bound = port;
        int err4 = open_one(AF_INET, port, fwmark, s.v4_, bound);
        if (err4 < 0 && !family_unavailable(-err4))
            return bind_error(-err4);
        std::uint16_t bound6 = 0;
        int err6 = open_one(AF_INET6, err4 == 0 ? bound : port, fwmark, s.v6_, bound6);
        if (err6 == -EADDRINUSE && port == 0 && err4 == 0)
            continue;
        if (err6 < 0 && !family_unavailable(-err6))
            return bind_error(-err6);
        if (err4 < 0 && err6 < 0)
            return bind_error(-err4);
        s.port_ = err4 == 0 ? bound : bound6;
        return s;
    }
    return bind_error(EADDRINUSE);
}

Result<void> UdpSockets::set_fwmark(std::uint32_t fwmark) {
    for (int fd : {v4_.get(), v6_.get()}) {
        if (fd >= 0 && set_int(fd, SOL_SOCKET, SO_MARK, int(fwmark)) < 0)
            return make_error(fmt::format("failed to set fwmark: {}", std::strerror(errno)), errno);
    }
    return {};
}

int UdpSockets::send(const Endpoint& raw_to, const std::optional<protocol::LocalSource>& source,
                     ByteView datagram, bool& source_failed) {
    Endpoint to = unmapped(raw_to);
    int fd = to.family() == AF_INET ? v4_.get() : to.family() == AF_INET6 ? v6_.get() : -1;
    if (fd < 0)
        return -EAFNOSUPPORT;
    iovec iov{const_cast<std::uint8_t*>(datagram.data()), datagram.size()};
    alignas(cmsghdr) std::uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr*>(to.sa());
    msg.msg_namelen = to.sa_len();
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    bool with_source = source && source->address.family == to.family();
    if (with_source) {
        msg.msg_control = control;
        cmsghdr* c = reinterpret_cast<cmsghdr*>(control);
        if (to.family() == AF_INET) {
            msg.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo));
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
            in_pktinfo info{};
            std::memcpy(&info.ipi_spec_dst, source->address.bytes.data(), 4);
            std::memcpy(CMSG_DATA(c), &info, sizeof info);
        } else {
            msg.msg_controllen = CMSG_SPACE(sizeof(in6_pktinfo));
            c->cmsg_level = IPPROTO_IPV6;
            c->cmsg_type = IPV6_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
            in6_pktinfo info{};
            std::memcpy(&info.ipi6_addr, source->address.bytes.data(), 16);
            // The interface matters only for link-local sources.
            if (IN6_IS_ADDR_LINKLOCAL(&info.ipi6_addr))
                info.ipi6_ifindex = source->ifindex;
            std::memcpy(CMSG_DATA(c), &info, sizeof info);
        }
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (::sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0)
            return 0;
        int err = errno;
        if (err == EINTR)
            continue;
        if (with_source && (err == EINVAL || err == EADDRNOTAVAIL || err == ENETUNREACH)) {
            // The address the peer reached us on is gone: let routing choose.
            source_failed = true;
            with_source = false;
            msg.msg_control = nullptr;
            msg.msg_controllen = 0;
            continue;
        }
        return -err;
    }
    return -EIO;
}

int UdpSockets::receive(int fd, MutableByteView buffer, Received& out) {
    sockaddr_storage from{};
    iovec iov{buffer.data(), buffer.size()};
    alignas(cmsghdr) std::uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo)) + 64];
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0)
        return -errno;
    if (msg.msg_flags & MSG_TRUNC)
        return -EMSGSIZE;
    out.size = std::size_t(n);
    out.from = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&from), msg.msg_namelen);
    out.local.reset();
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            out.local = protocol::LocalSource{
                IpAddress::v4(reinterpret_cast<const std::uint8_t*>(&info.ipi_addr)),
                unsigned(info.ipi_ifindex)};
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            out.local = protocol::LocalSource{
                IpAddress::v6(reinterpret_cast<const std::uint8_t*>(&info.ipi6_addr)),
                info.ipi6_ifindex};
        }
    }
    return 0;
}

} // namespace wgx::engine
