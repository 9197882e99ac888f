#include "ipc/genetlink_socket.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "ipc/genetlink_attr.hpp"

namespace wgx::ipc::genetlink {

Error errno_error(int code) {
    return make_error(std::strerror(code), code);
}

Result<GenlSocket> GenlSocket::open() {
    nl_sock* sock = nl_socket_alloc();
    if (!sock)
        return errno_error(ENOMEM);
    if (genl_connect(sock) < 0) {
        int e = errno ? errno : EPROTONOSUPPORT;
        nl_socket_free(sock);
        return errno_error(e);
    }
    return GenlSocket(sock);
}

GenlSocket::GenlSocket(GenlSocket&& o) noexcept : sock_(std::exchange(o.sock_, nullptr)) {}
GenlSocket& GenlSocket::operator=(GenlSocket&& o) noexcept {
    if (this != &o) {
        if (sock_)
            nl_socket_free(sock_);
        sock_ = std::exchange(o.sock_, nullptr);
    }
    return *this;
}
GenlSocket::~GenlSocket() {
    if (sock_)
        nl_socket_free(sock_);
}

Result<std::uint16_t> GenlSocket::family_id(const char* name) {
    nl::AttrWriter w(256);
    (void)w.put_string(CTRL_ATTR_FAMILY_NAME, name);
    std::optional<std::uint16_t> id;
    ReplyFn on_reply = [&](ByteView attrs) -> Result<void> {
        nl::for_each_attr(attrs, [&](const nl::Attr& a) {
            if (a.type == CTRL_ATTR_FAMILY_ID)
                id = a.u16();
        });
        return {};
    };
    auto r =
        converse(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK, w.bytes(), &on_reply, nullptr);
    if (!r)
        return r.error().code == ENOENT ? errno_error(EPROTONOSUPPORT) : r.error();
    if (!id)
        return errno_error(EPROTONOSUPPORT);
    return *id;
}

Result<void> GenlSocket::dump(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
                              ByteView attrs, const ReplyFn& on_reply, bool* interrupted) {
    return converse(family, cmd, version, NLM_F_DUMP, attrs, &on_reply, interrupted);
}

Result<void> GenlSocket::request(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
                                 ByteView attrs) {
    return converse(family, cmd, version, NLM_F_ACK, attrs, nullptr, nullptr);
}

namespace {

/// Receives one datagram whole, sizing the buffer by peeking first.
Result<Bytes> receive(int fd) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        ssize_t n = ::recv(fd, nullptr, 0, MSG_PEEK | MSG_TRUNC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno_error(errno);
        Bytes buf(std::size_t(n) + 1);
        ssize_t got = ::recv(fd, buf.data(), buf.size(), 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno_error(errno);
        buf.resize(std::size_t(got));
        return buf;
    }
    return errno_error(EINTR);
}

} // namespace

Result<void> GenlSocket::converse(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
                                  std::uint16_t flags, ByteView attrs, const ReplyFn* on_reply,
                                  bool* interrupted) {
    const std::uint32_t seq = nl_socket_use_seq(sock_);
    const std::uint32_t port = nl_socket_get_local_port(sock_);
    Bytes msg(NLMSG_HDRLEN + GENL_HDRLEN + attrs.size(), 0);
    nlmsghdr hdr{};
    hdr.nlmsg_len = std::uint32_t(msg.size());
    hdr.nlmsg_type = family;
    hdr.nlmsg_flags = std::uint16_t(NLM_F_REQUEST | flags);
    hdr.nlmsg_seq = seq;
    std::memcpy(msg.data(), &hdr, sizeof hdr);
    genlmsghdr g{};
    g.cmd = cmd;
    g.version = version;
    std::memcpy(msg.data() + NLMSG_HDRLEN, &g, sizeof g);
    if (!attrs.empty())
        std::memcpy(msg.data() + NLMSG_HDRLEN + GENL_HDRLEN, attrs.data(), attrs.size());

    int fd = nl_socket_get_fd(sock_);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
                 sizeof kernel) < 0)
        return errno_error(errno);

    std::optional<Error> failed; // from on_reply; the replies are still drained
    // Bounded: a dump of the largest device is a few thousand datagrams.
    for (int datagrams = 0; datagrams < 1000000; ++datagrams) {
        auto buf = receive(fd);
        if (!buf)
            return buf.error();
        int len = int(buf->size());
        for (auto* h = reinterpret_cast<nlmsghdr*>(buf->data()); NLMSG_OK(h, len);
             h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != seq || h->nlmsg_pid != port)
                continue; // not ours (a late reply to an earlier request)
            if (h->nlmsg_type == NLMSG_ERROR) {
                if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
                    return errno_error(EPROTO);
                int code = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
                if (code != 0)
                    return errno_error(code);
                if (failed)
                    return *failed;
                return {}; // the acknowledgement
            }
            if (h->nlmsg_type == NLMSG_DONE) {
                int code = 0;
                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
                    std::memcpy(&code, NLMSG_DATA(h), sizeof code);
                if (code < 0)
                    return errno_error(-code);
                if (failed)
                    return *failed;
                return {};
            }
            if (h->nlmsg_type == NLMSG_NOOP || h->nlmsg_type == NLMSG_OVERRUN)
                continue;
            if (interrupted && (h->nlmsg_flags & NLM_F_DUMP_INTR))
                *interrupted = true;
            if (on_reply && !failed && h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN)) {
                auto* payload = static_cast<const std::uint8_t*>(NLMSG_DATA(h)) + GENL_HDRLEN;
                std::size_t n = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
                if (auto r = (*on_reply)(ByteView(payload, n)); !r)
                    failed = r.error();
            }
            // A reply to a plain request (not a dump) is followed by the acknowledgement.
        }
    }
    return errno_error(EIO);
}

Result<WireguardConnection> connect_wireguard() {
    auto sock = GenlSocket::open();
    if (!sock)
        return sock.error();
    auto id = sock->family_id(WG_GENL_NAME);
    if (!id)
        return id.error();
    return WireguardConnection{std::move(*sock), *id};
}

} // namespace wgx::ipc::genetlink
