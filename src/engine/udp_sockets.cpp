#include "engine/udp_sockets.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/udp.h>
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

constexpr int SOCKET_BUFFER = 7 << 20;
/// The kernel's limit on segments in one UDP_SEGMENT send (UDP_MAX_SEGMENTS).
constexpr std::size_t MAX_GSO_SEGMENTS = 64;
/// The largest UDP payload one send may carry.
constexpr std::size_t MAX_GSO_BYTES = 65507 - 8;
/// Messages in one sendmmsg.
constexpr std::size_t MMSG_BATCH = 64;
constexpr std::size_t CONTROL_SPACE =
    CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(std::uint16_t));

/// Appends to `msg`'s control buffer (of CONTROL_SPACE bytes) a pktinfo naming `source` when
/// it is of `to`'s family; true when it did.
bool add_source(msghdr& msg, const Endpoint& to,
                const std::optional<protocol::LocalSource>& source) {
    if (!source || source->address.family != to.family())
        return false;
    cmsghdr* c = reinterpret_cast<cmsghdr*>(static_cast<std::uint8_t*>(msg.msg_control) +
                                            msg.msg_controllen);
    if (to.family() == AF_INET) {
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
        in_pktinfo info{};
        std::memcpy(&info.ipi_spec_dst, source->address.bytes.data(), 4);
        std::memcpy(CMSG_DATA(c), &info, sizeof info);
        msg.msg_controllen += CMSG_SPACE(sizeof(in_pktinfo));
    } else {
        c->cmsg_level = IPPROTO_IPV6;
        c->cmsg_type = IPV6_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
        in6_pktinfo info{};
        std::memcpy(&info.ipi6_addr, source->address.bytes.data(), 16);
        // The interface matters only for link-local sources.
        if (IN6_IS_ADDR_LINKLOCAL(&info.ipi6_addr))
            info.ipi6_ifindex = source->ifindex;
        std::memcpy(CMSG_DATA(c), &info, sizeof info);
        msg.msg_controllen += CMSG_SPACE(sizeof(in6_pktinfo));
    }
    return true;
}

void add_segment_size(msghdr& msg, std::uint16_t size) {
    cmsghdr* c = reinterpret_cast<cmsghdr*>(static_cast<std::uint8_t*>(msg.msg_control) +
                                            msg.msg_controllen);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof size);
    std::memcpy(CMSG_DATA(c), &size, sizeof size);
    msg.msg_controllen += CMSG_SPACE(sizeof size);
}

bool is_source_error(int err) {
    return err == EINVAL || err == EADDRNOTAVAIL || err == ENETUNREACH;
}

/// Reads the arrival address and, with GRO, the segment size from a received message.
void parse_control(msghdr& msg, std::optional<protocol::LocalSource>& local,
                   std::size_t& segment_size) {
    local.reset();
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            local = protocol::LocalSource{
                IpAddress::v4(reinterpret_cast<const std::uint8_t*>(&info.ipi_addr)),
                unsigned(info.ipi_ifindex)};
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            local = protocol::LocalSource{
                IpAddress::v6(reinterpret_cast<const std::uint8_t*>(&info.ipi6_addr)),
                info.ipi6_ifindex};
        } else if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
            int size = 0;
            std::memcpy(&size, CMSG_DATA(c), sizeof size);
            if (size > 0)
                segment_size = std::size_t(size);
        }
    }
}

/// One socket of `family` bound to `port` (0 = random); the bound port in `bound`. -errno.
int open_one(sa_family_t family, std::uint16_t port, std::uint32_t fwmark, UniqueFd& out,
             std::uint16_t& bound) {
    UniqueFd fd(::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd)
        return -errno;
    // Bursts of a fast tunnel (and floods) must not overflow the default ~200 KB: as root the
    // limit of net.core.*mem_max does not apply (FORCE); otherwise take what is allowed.
    for (auto [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF}, {SO_SNDBUFFORCE, SO_SNDBUF}})
        if (set_int(fd.get(), SOL_SOCKET, force, SOCKET_BUFFER) < 0)
            set_int(fd.get(), SOL_SOCKET, plain, SOCKET_BUFFER);
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

Result<UdpSockets> UdpSockets::open(std::uint16_t port, std::uint32_t fwmark,
                                    const Offloads& offloads) {
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
        // The path MTU discovery modes to go back to after a send that forbade fragmentation.
        socklen_t mode_len = sizeof(int);
        if (s.v4_.valid())
            ::getsockopt(s.v4_.get(), IPPROTO_IP, IP_MTU_DISCOVER, &s.pmtu_mode_opened_[0],
                         &mode_len);
        mode_len = sizeof(int);
        if (s.v6_.valid())
            ::getsockopt(s.v6_.get(), IPPROTO_IPV6, IPV6_MTU_DISCOVER, &s.pmtu_mode_opened_[1],
                         &mode_len);
        s.mmsg_ = offloads.mmsg;
        s.gso_ = offloads.udp_gso;
        s.gro_ = offloads.udp_gro;
        for (int fd : {s.v4_.get(), s.v6_.get()}) {
            // A kernel without them refuses the option: take the plain path then.
            int probe = 0;
            socklen_t len = sizeof probe;
            if (fd >= 0 && s.gso_ && ::getsockopt(fd, SOL_UDP, UDP_SEGMENT, &probe, &len) < 0)
                s.gso_ = false;
            if (fd >= 0 && s.gro_ && set_int(fd, SOL_UDP, UDP_GRO, 1) < 0)
                s.gro_ = false;
        }
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

void UdpSockets::set_fragmentation(sa_family_t family, Fragmentation fragmentation) {
    std::size_t i = family == AF_INET ? 0 : 1;
    int fd = i == 0 ? v4_.get() : v6_.get();
    if (fd < 0 || fragmentation_[i] == fragmentation)
        return;
    // PMTUDISC_DO: a datagram larger than the (known) path MTU fails with EMSGSIZE instead of
    // leaving in fragments. The opened mode (WANT by default) fragments, as the references do.
    bool forbid = fragmentation == Fragmentation::forbidden;
    int mode = forbid ? (i == 0 ? IP_PMTUDISC_DO : IPV6_PMTUDISC_DO) : pmtu_mode_opened_[i];
    if (i == 0 ? set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER, mode) == 0
               : set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, mode) == 0)
        fragmentation_[i] = fragmentation;
}

int UdpSockets::send(const Endpoint& raw_to, const std::optional<protocol::LocalSource>& source,
                     ByteView datagram, bool& source_failed, Fragmentation fragmentation) {
    iovec iov{const_cast<std::uint8_t*>(datagram.data()), datagram.size()};
    Endpoint to = unmapped(raw_to);
    int fd = to.family() == AF_INET ? v4_.get() : to.family() == AF_INET6 ? v6_.get() : -1;
    if (fd < 0)
        return -EAFNOSUPPORT;
    set_fragmentation(to.family(), fragmentation);
    alignas(cmsghdr) std::uint8_t control[CONTROL_SPACE] = {};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr*>(to.sa());
    msg.msg_namelen = to.sa_len();
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    bool with_source = add_source(msg, to, source);
    if (!with_source)
        msg.msg_control = nullptr;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (::sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0)
            return 0;
        int err = errno;
        if (err == EINTR)
            continue;
        if (with_source && is_source_error(err)) {
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

int UdpSockets::send_segmented(const protocol::Output::Datagram* first, std::size_t count,
                               bool& source_failed) {
    Endpoint to = unmapped(first->to);
    int fd = to.family() == AF_INET ? v4_.get() : to.family() == AF_INET6 ? v6_.get() : -1;
    if (fd < 0)
        return -EAFNOSUPPORT;
    iovec iov[MAX_GSO_SEGMENTS];
    for (std::size_t i = 0; i < count; ++i)
        iov[i] = iovec{const_cast<std::uint8_t*>(first[i].bytes.data()), first[i].bytes.size()};
    alignas(cmsghdr) std::uint8_t control[CONTROL_SPACE] = {};
    for (int attempt = 0; attempt < 3; ++attempt) {
        msghdr msg{};
        msg.msg_name = const_cast<sockaddr*>(to.sa());
        msg.msg_namelen = to.sa_len();
        msg.msg_iov = iov;
        msg.msg_iovlen = count;
        msg.msg_control = control;
        bool with_source = !source_failed && add_source(msg, to, first->source);
        add_segment_size(msg, std::uint16_t(first->bytes.size()));
        if (::sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0)
            return 0;
        int err = errno;
        if (err == EINTR)
            continue;
        if (with_source && is_source_error(err)) {
            source_failed = true;
            continue;
        }
        return -err;
    }
    return -EIO;
}

std::size_t UdpSockets::send_each(const protocol::Output::Datagram* first, std::size_t count,
                                  bool& source_failed) {
    std::size_t failed = 0;
    while (count > 0) {
        std::size_t n = std::min(count, MMSG_BATCH);
        if (!mmsg_ || n == 1) {
            if (send(first->to, first->source, first->bytes, source_failed) < 0)
                ++failed;
            ++first;
            --count;
            continue;
        }
        // One family per sendmmsg (one socket); the run ends at a change of family.
        Endpoint to0 = unmapped(first->to);
        int fd = to0.family() == AF_INET ? v4_.get() : to0.family() == AF_INET6 ? v6_.get() : -1;
        mmsghdr msgs[MMSG_BATCH] = {};
        iovec iov[MMSG_BATCH];
        Endpoint to[MMSG_BATCH];
        alignas(cmsghdr) std::uint8_t control[MMSG_BATCH][CONTROL_SPACE];
        std::size_t k = 0;
        for (; k < n; ++k) {
            to[k] = unmapped(first[k].to);
            if (to[k].family() != to0.family())
                break;
            iov[k] = iovec{const_cast<std::uint8_t*>(first[k].bytes.data()), first[k].bytes.size()};
            msghdr& m = msgs[k].msg_hdr;
            m.msg_name = const_cast<sockaddr*>(to[k].sa());
            m.msg_namelen = to[k].sa_len();
            m.msg_iov = &iov[k];
            m.msg_iovlen = 1;
            m.msg_control = control[k];
            m.msg_controllen = 0;
            if (!add_source(m, to[k], first[k].source))
                m.msg_control = nullptr;
        }
        int sent = fd < 0 ? -1 : ::sendmmsg(fd, msgs, unsigned(k), MSG_NOSIGNAL);
        if (sent <= 0) {
            // The first one failed: send it alone (that path handles a lost source address
            // and counts a failure), then go on with the rest.
            if (send(first->to, first->source, first->bytes, source_failed) < 0)
                ++failed;
            sent = 1;
        }
        first += sent;
        count -= std::size_t(sent);
    }
    return failed;
}

std::size_t UdpSockets::send_batch(std::span<const protocol::Output::Datagram> datagrams,
                                   bool& source_failed) {
    // Everything sent in batches may be fragmented (what a lone send() may have changed).
    set_fragmentation(AF_INET, Fragmentation::allowed);
    set_fragmentation(AF_INET6, Fragmentation::allowed);
    std::size_t failed = 0;
    std::size_t pending = 0; // datagrams before i not yet sent, each alone
    std::size_t i = 0;
    while (i < datagrams.size()) {
        const auto& head = datagrams[i];
        std::size_t size = head.bytes.size();
        // The run one segmented send may carry: same endpoint and source, equal sizes, only
        // the last one shorter.
        std::size_t n = 1;
        if (gso_ && size > 0) {
            std::size_t limit = std::min(MAX_GSO_SEGMENTS, MAX_GSO_BYTES / size);
            while (n < limit && i + n < datagrams.size()) {
                const auto& d = datagrams[i + n];
                if (d.bytes.size() > size || d.bytes.empty() || !(d.to == head.to) ||
                    d.source != head.source)
                    break;
                ++n;
                if (d.bytes.size() < size)
                    break;
            }
        }
        if (n == 1) {
            ++pending;
            ++i;
            continue;
        }
        if (pending > 0) {
            failed += send_each(&datagrams[i - pending], pending, source_failed);
            pending = 0;
        }
        bool lost_source = false;
        int r = send_segmented(&head, n, lost_source);
        source_failed = source_failed || lost_source;
        if (r != 0) {
            if (r == -EIO || r == -EINVAL || r == -ENOPROTOOPT || r == -EOPNOTSUPP)
                gso_ = false; // the egress device cannot segment: never again
            failed += send_each(&head, n, source_failed);
        }
        i += n;
    }
    if (pending > 0)
        failed += send_each(&datagrams[datagrams.size() - pending], pending, source_failed);
    return failed;
}

ReceiveBatch::ReceiveBatch(std::size_t slots, std::size_t slot_size) : slots_(slots) {
    for (Slot& s : slots_)
        s.buffer.resize(slot_size);
}

int UdpSockets::receive_batch(int fd, ReceiveBatch& batch) {
    constexpr std::size_t MAX = 64;
    std::size_t n = std::min(batch.slots_.size(), MAX);
    if (!mmsg_)
        n = 1;
    mmsghdr msgs[MAX] = {};
    iovec iov[MAX];
    sockaddr_storage from[MAX];
    alignas(cmsghdr) std::uint8_t control[MAX][CMSG_SPACE(sizeof(in6_pktinfo)) + 64];
    for (std::size_t k = 0; k < n; ++k) {
        auto& slot = batch.slots_[k];
        iov[k] = iovec{slot.buffer.data(), slot.buffer.size()};
        msghdr& m = msgs[k].msg_hdr;
        m.msg_name = &from[k];
        m.msg_namelen = sizeof from[k];
        m.msg_iov = &iov[k];
        m.msg_iovlen = 1;
        m.msg_control = control[k];
        m.msg_controllen = sizeof control[k];
    }
    int got = ::recvmmsg(fd, msgs, unsigned(n), MSG_DONTWAIT, nullptr);
    if (got < 0)
        return -errno;
    batch.count_ = 0;
    for (int k = 0; k < got; ++k) {
        msghdr& m = msgs[k].msg_hdr;
        if (m.msg_flags & MSG_TRUNC)
            continue; // larger than any WireGuard message
        auto& slot = batch.slots_[batch.count_];
        if (std::size_t(k) != batch.count_)
            std::swap(slot.buffer, batch.slots_[std::size_t(k)].buffer);
        slot.size = msgs[k].msg_len;
        slot.segment_size = slot.size;
        slot.from = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&from[k]), m.msg_namelen);
        parse_control(m, slot.local, slot.segment_size);
        if (slot.segment_size == 0)
            slot.segment_size = std::max<std::size_t>(slot.size, 1);
        ++batch.count_;
    }
    return int(batch.count_);
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
    out.segment_size = out.size;
    parse_control(msg, out.local, out.segment_size);
    return 0;
}

} // namespace wgx::engine
