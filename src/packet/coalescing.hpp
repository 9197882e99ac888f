#pragma once
// Receive offload done in userspace (GRO): consecutive TCP segments of one flow (and, where the
// TUN device accepts UDP_L4, same-size UDP datagrams of one flow) are merged into one
// super-packet with a virtio-net header, so that the kernel's TCP stack sees one large packet
// instead of dozens. Pure: it sees caller-owned byte spans and describes each write to the TUN
// device as a list of byte ranges (a header it built, plus payload slices of the input packets).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/bytes.hpp"
#include "packet/virtio_net_hdr.hpp"

namespace wgx::packet {

/// One write to the TUN device: the concatenation of `parts` (the first part starts with the
/// virtio-net header).
struct CoalescedWrite {
    std::vector<ByteView> parts;
};

/// What may be merged: TCP always; UDP only when the TUN device was given TUN_F_USO4/6.
struct CoalesceOptions {
    bool tcp = true;
    bool udp = false;
    /// The largest super-packet to build (IP header + payload), at most 65535.
    std::size_t max_size = 65535;
    /// At most this many segments in one super-packet (the kernel's limit is 64).
    std::size_t max_segments = 64;
};

/// Collects the IP packets of one batch, in arrival order, and produces the TUN writes.
/// Two packets merge only when they belong to the same flow (addresses, ports, protocol),
/// arrive one after another within the flow (TCP: the sequence number continues exactly, same
/// ACK number, same window, same options bytes, no SYN/FIN/RST/URG/CWR/ECE flags, PSH only on
/// the last merged segment; IPv4: no fragments/options, same TTL/TOS, DF consistent;
/// IPv6: no extension headers, same traffic class/hop limit), every segment but the last has
/// the same payload size, and the last is no larger than the first. Packets that cannot merge
/// (other protocols, fragments, bad checksums are NOT checked: the tunnel authenticated them)
/// pass through unchanged behind a virtio header with gso_type NONE. Packets of different flows
/// may interleave; the order within each flow is kept.
class Coalescer {
  public:
    explicit Coalescer(CoalesceOptions options = {});
    ~Coalescer();
    Coalescer(Coalescer&&) noexcept;
    Coalescer& operator=(Coalescer&&) noexcept;

    /// Adds one IP packet. `packet` must stay valid and unchanged until clear(). The coalescer
    /// may rewrite header bytes inside `packet` (lengths, checksums) when it merges.
    void add(MutableByteView packet);
    /// The writes for everything added since clear(), in an order that keeps each flow's order.
    /// Merged writes carry gso_type TCPV4/TCPV6 (or UDP_L4), gso_size = the first segment's
    /// payload size, hdr_len = IP+L4 header length, NEEDS_CSUM with csum_start/csum_offset of
    /// the L4 checksum, whose field holds the pseudo-header sum (as the kernel expects).
    std::span<const CoalescedWrite> finish();
    /// Forgets the batch (keeps its buffers).
    void clear();

  private:
    // Free for the implementation to shape (buffers reused across batches: no allocation per
    // packet in the steady state).
    struct State;
    CoalesceOptions options_;
    std::unique_ptr<State> state_;
};

} // namespace wgx::packet
