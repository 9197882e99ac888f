#include "netlink/socket.hpp"

#include <cerrno>
#include <cstring>

#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

namespace wgx::netlink {

Error rtnetlink_error(int errno_value) {
    return make_error(std::string("RTNETLINK answers: ") + std::strerror(errno_value), errno_value);
}

void MsgDeleter::operator()(nl_msg* msg) const {
    nlmsg_free(msg);
}

Result<Socket> Socket::open() {
    nl_sock* sock = nl_socket_alloc();
    if (!sock)
        return make_error("Cannot allocate a netlink socket", ENOMEM);
    if (int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
        nl_socket_free(sock);
        return make_error(std::string("Cannot open netlink socket: ") + nl_geterror(err), EPERM);
    }
    return Socket(sock);
}

Socket::Socket(Socket&& o) noexcept : sock_(std::exchange(o.sock_, nullptr)) {}
Socket& Socket::operator=(Socket&& o) noexcept {
    if (this != &o) {
        if (sock_)
            nl_socket_free(sock_);
        sock_ = std::exchange(o.sock_, nullptr);
    }
    return *this;
}
Socket::~Socket() {
    if (sock_)
        nl_socket_free(sock_);
}

namespace {

/// What the callbacks learn about one conversation.
struct Conversation {
    const std::function<void(nlmsghdr*)>* on_reply = nullptr;
    int error = 0;
    bool done = false;
};

int on_error(sockaddr_nl*, nlmsgerr* err, void* arg) {
    auto* c = static_cast<Conversation*>(arg);
    c->error = -err->error;
    c->done = true;
    return NL_STOP;
}
int on_ack(nl_msg*, void* arg) {
    static_cast<Conversation*>(arg)->done = true;
    return NL_STOP;
}
int on_finish(nl_msg*, void* arg) {
    static_cast<Conversation*>(arg)->done = true;
    return NL_STOP;
}
int on_valid(nl_msg* msg, void* arg) {
    auto* c = static_cast<Conversation*>(arg);
    if (c->on_reply && *c->on_reply)
        (*c->on_reply)(nlmsg_hdr(msg));
    // A non-dump request (RTM_GETROUTE) is followed by the acknowledgement libnl asked for.
    return NL_OK;
}

Result<void> converse(nl_sock* sock, nl_msg* raw, Conversation& c) {
    MsgPtr msg(raw);
    nl_cb* cb = nl_cb_alloc(NL_CB_DEFAULT);
    if (!cb)
        return make_error("Cannot allocate netlink callbacks", ENOMEM);
    nl_cb_err(cb, NL_CB_CUSTOM, on_error, &c);
    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &c);
    nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &c);
    nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
    int err = nl_send_auto(sock, msg.get());
    // Bounded: the kernel answers every request; a broken socket ends the loop with an error.
    for (int i = 0; err >= 0 && !c.done && i < 1000000; ++i)
        err = nl_recvmsgs(sock, cb);
    nl_cb_put(cb);
    if (c.error)
        return rtnetlink_error(c.error);
    if (err < 0)
        return make_error(std::string("RTNETLINK: ") + nl_geterror(err), EIO);
    return {};
}

} // namespace

Result<void> Socket::request(nl_msg* msg) {
    nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
    Conversation c;
    return converse(sock_, msg, c);
}

Result<void> Socket::dump(nl_msg* msg, const std::function<void(nlmsghdr*)>& on_reply) {
    Conversation c;
    c.on_reply = &on_reply;
    return converse(sock_, msg, c);
}

} // namespace wgx::netlink
