#pragma once
// The device's UDP sockets: one IPv4 and one IPv6 (IPV6_V6ONLY) on the same port, as wireguard-go
// binds them. Datagrams are received with the local address they arrived on (IP_PKTINFO /
// IPV6_RECVPKTINFO) and answered from it; a namespace without IPv6 gets an IPv4-only device.
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

/// One received datagram's addresses.
struct Received {
    std::size_t size = 0;
    Endpoint from;
    std::optional<protocol::LocalSource> local;
};

class UdpSockets {
  public:
    UdpSockets() = default;

    /// Binds both families to `port` (0 = a random port, the same for both), with SO_MARK
    /// `fwmark` when nonzero. Error::code is EADDRINUSE when the port is taken.
    static Result<UdpSockets> open(std::uint16_t port, std::uint32_t fwmark);

    bool is_open() const { return v4_.valid() || v6_.valid(); }
    std::uint16_t port() const { return port_; }
    int fd4() const { return v4_.get(); }
    int fd6() const { return v6_.get(); }

    /// Sets (nonzero) or clears (0) SO_MARK on both sockets.
    Result<void> set_fwmark(std::uint32_t fwmark);

    /// Sends from `source` when given; if that address is no longer ours, sends again letting
    /// the routing table choose and sets `source_failed`. 0 or -errno.
    int send(const Endpoint& to, const std::optional<protocol::LocalSource>& source,
             ByteView datagram, bool& source_failed);

    /// Receives one datagram from `fd` (fd4() or fd6()) into `buffer`: 0 on success, -errno
    /// (-EAGAIN when none is waiting).
    int receive(int fd, MutableByteView buffer, Received& out);

  private:
    UniqueFd v4_;
    UniqueFd v6_;
    std::uint16_t port_ = 0;
};

} // namespace wgx::engine
