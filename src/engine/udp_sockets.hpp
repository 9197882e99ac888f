#pragma once
// The device's UDP sockets: one IPv4 and one IPv6 (IPV6_V6ONLY) on the same port, as wireguard-go
// binds them. Datagrams are received with the local address they arrived on (IP_PKTINFO /
// IPV6_RECVPKTINFO) and answered from it; a namespace without IPv6 gets an IPv4-only device.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"
#include "engine/offloads.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

/// One received datagram's addresses.
struct Received {
    std::size_t size = 0;
    /// With UDP GRO, the size of each of the datagrams merged into this one (else == size).
    std::size_t segment_size = 0;
    Endpoint from;
    std::optional<protocol::LocalSource> local;
};

/// Buffers for one batched receive (recvmmsg): each slot holds one message, which with UDP GRO
/// may be several datagrams of `segment_size` bytes back to back (the last may be shorter).
class ReceiveBatch {
  public:
    struct Slot {
        Bytes buffer;
        std::size_t size = 0;
        /// The size of each datagram in the buffer (== size when GRO did not merge any).
        std::size_t segment_size = 0;
        Endpoint from;
        std::optional<protocol::LocalSource> local;
    };

    /// `slots` messages of up to `slot_size` bytes each.
    ReceiveBatch(std::size_t slots, std::size_t slot_size);
    std::span<Slot> received() { return {slots_.data(), count_}; }

  private:
    friend class UdpSockets;
    std::vector<Slot> slots_;
    std::size_t count_ = 0;
};

class UdpSockets {
  public:
    UdpSockets() = default;

    /// Binds both families to `port` (0 = a random port, the same for both), with SO_MARK
    /// `fwmark` when nonzero. Error::code is EADDRINUSE when the port is taken.
    static Result<UdpSockets> open(std::uint16_t port, std::uint32_t fwmark,
                                   const Offloads& offloads = {});

    bool is_open() const { return v4_.valid() || v6_.valid(); }
    std::uint16_t port() const { return port_; }
    int fd4() const { return v4_.get(); }
    int fd6() const { return v6_.get(); }

    /// Sets (nonzero) or clears (0) SO_MARK on both sockets.
    Result<void> set_fwmark(std::uint32_t fwmark);

    /// Whether the kernel may split a datagram larger than the path MTU into IP fragments.
    enum class Fragmentation { allowed, forbidden };

    /// Sends from `source` when given; if that address is no longer ours, sends again letting
    /// the routing table choose and sets `source_failed`. 0 or -errno. With
    /// Fragmentation::forbidden a datagram larger than the path MTU is not sent: -EMSGSIZE.
    int send(const Endpoint& to, const std::optional<protocol::LocalSource>& source,
             ByteView datagram, bool& source_failed,
             Fragmentation fragmentation = Fragmentation::allowed);

    /// Sends every datagram of `datagrams` in order: runs to one endpoint from one source with
    /// equal sizes (the last may be shorter) in one UDP_SEGMENT sendmsg, the rest with
    /// sendmmsg. A kernel that refuses segmentation (EIO: a device without tx checksumming)
    /// turns GSO off for good and the run goes out again without it. Sets `source_failed` as
    /// send() does. Returns how many datagrams could not be sent.
    std::size_t send_batch(std::span<const protocol::Output::Datagram> datagrams,
                           bool& source_failed);

    /// Receives one datagram from `fd` (fd4() or fd6()) into `buffer`: 0 on success, -errno
    /// (-EAGAIN when none is waiting).
    int receive(int fd, MutableByteView buffer, Received& out);
    /// Receives up to a batch of messages from `fd`: their number, or -errno (-EAGAIN when
    /// none is waiting).
    int receive_batch(int fd, ReceiveBatch& batch);

    /// Whether the sockets segment and coalesce (after feature detection and fallbacks).
    bool gso() const { return gso_; }
    bool gro() const { return gro_; }

  private:
    /// One sendmsg of `count` same-size datagrams (UDP_SEGMENT when count > 1): 0 or -errno.
    int send_segmented(const protocol::Output::Datagram* first, std::size_t count,
                       bool& source_failed);
    /// Sends `count` datagrams one message each (sendmmsg when allowed); the failures.
    std::size_t send_each(const protocol::Output::Datagram* first, std::size_t count,
                          bool& source_failed);
    /// Sets the path MTU discovery mode of the socket of `family` to let the kernel fragment
    /// (the mode it was opened with) or not; a setsockopt only when the mode changes.
    void set_fragmentation(sa_family_t family, Fragmentation fragmentation);

    UniqueFd v4_;
    UniqueFd v6_;
    std::uint16_t port_ = 0;
    bool gso_ = false;
    bool gro_ = false;
    bool mmsg_ = false;
    /// Per family (IPv4, IPv6): the mode each socket was opened with, and the one it has now.
    int pmtu_mode_opened_[2] = {0, 0};
    Fragmentation fragmentation_[2] = {Fragmentation::allowed, Fragmentation::allowed};
};

} // namespace wgx::engine
