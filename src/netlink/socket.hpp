#pragma once
// One rtnetlink conversation: a libnl socket with request/acknowledge and dump helpers that keep
// the kernel's errno (libnl's own calls fold it into NLE_* codes, losing what `ip` would print).
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"

struct nl_sock;
struct nl_msg;
struct nlmsghdr;

namespace wgx::netlink {

/// "RTNETLINK answers: <strerror>", the wording of iproute2, with the errno in Error::code.
Error rtnetlink_error(int errno_value);

/// A connected NETLINK_ROUTE socket.
class Socket {
  public:
    static Result<Socket> open();

    Socket(Socket&&) noexcept;
    Socket& operator=(Socket&&) noexcept;
    ~Socket();

    nl_sock* get() const { return sock_; }

    /// Sends `msg` (consumed) with NLM_F_ACK and waits for the acknowledgement.
    Result<void> request(nl_msg* msg);
    /// Sends `msg` (consumed; give it NLM_F_DUMP or expect one reply) and hands every reply
    /// message to `on_reply` until the kernel ends the dump.
    Result<void> dump(nl_msg* msg, const std::function<void(nlmsghdr*)>& on_reply);

  private:
    explicit Socket(nl_sock* sock) : sock_(sock) {}
    nl_sock* sock_ = nullptr;
};

/// Owns an nl_msg until it is handed to a Socket.
struct MsgDeleter {
    void operator()(nl_msg* msg) const;
};
using MsgPtr = std::unique_ptr<nl_msg, MsgDeleter>;

} // namespace wgx::netlink
