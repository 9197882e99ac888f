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

/// One write to the TUN device: the concatenation of `parts`. parts[0] is exactly the
/// VIRTIO_NET_HDR_SIZE bytes of the virtio-net header; parts[1] is the first (or only) IP
/// packet, headers included; each further part is the payload of one merged segment (what a
/// writev(2) takes as it is).
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
///
/// Details the rules above leave open:
///  - A pass-through write's header is all zeros (flags 0: the kernel verifies the checksum
///    itself) and its packet is the whole span given to add(), trailing bytes included. A
///    group that ends up with one packet is written that way too, its bytes untouched.
///  - A merged write uses each packet's IP length, never bytes after it (padding).
///  - A packet of a flow that cannot join the flow's group (a flag, a gap in the sequence, a
///    pure ACK, another TTL...) ends that group: later segments start a new one behind it, so
///    nothing overtakes it. IPv6 segments must also agree on the flow label; IPv4 segments must
///    have no IP options. The IPv4 identification of a super-packet is its first segment's.
///  - UDP segments must have a UDP length matching their IP length.
///  - Headers are rewritten in finish() (the first packet of each merged group: IP length,
///    IPv4 header checksum, TCP PSH when a merged segment had it, UDP length, the L4 checksum
///    field); add() only reads.
class Coalescer {
  public:
    explicit Coalescer(CoalesceOptions options = {});
    ~Coalescer();
    Coalescer(Coalescer&&) noexcept;
    Coalescer& operator=(Coalescer&&) noexcept;

    /// Adds one IP packet. `packet` must stay valid and unchanged until clear(). The coalescer
    /// may rewrite header bytes inside `packet` (lengths, checksums) when it merges.
    /// add() after finish() without clear() starts a new batch, as if clear() had been called.
    void add(MutableByteView packet);
    /// The writes for everything added since clear(), in an order that keeps each flow's order
    /// (a write comes where its first packet was added). Merged writes carry gso_type
    /// TCPV4/TCPV6 (or UDP_L4), gso_size = the first segment's payload size, hdr_len = IP+L4
    /// header length, flags NEEDS_CSUM with csum_start = IP header length and csum_offset = 16
    /// (TCP) or 6 (UDP), the checksum field holding the folded, uncomplemented pseudo-header
    /// sum over the super-packet's L4 length (as the kernel expects). The span and the parts
    /// stay valid until the next add() or clear(); calling finish() again returns the same.
    std::span<const CoalescedWrite> finish();
    /// Forgets the batch (keeps its buffers). Optional after finish(): add() does it then.
    void clear();

  private:
    // Free for the implementation to shape (buffers reused across batches: no allocation per
    // packet in the steady state).
    struct State;
    CoalesceOptions options_;
    std::unique_ptr<State> state_;
};

} // namespace wgx::packet
