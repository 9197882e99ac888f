#pragma once
// Segmentation offload done in userspace (TSO/USO): a TCP or UDP super-packet read from a TUN
// device with IFF_VNET_HDR becomes the MTU-sized IP packets that would have been on the wire,
// each with its own headers and complete checksums. Pure functions over byte spans.
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"
#include "packet/virtio_net_hdr.hpp"

namespace wgx::packet {

/// Completes a checksum that the kernel left partial (VIRTIO_NET_HDR_F_NEEDS_CSUM on a packet
/// that is not GSO): the 16-bit one's-complement sum over packet[csum_start..] folded into
/// packet[csum_start + csum_offset]. False, leaving the packet alone, when the offsets do not
/// fit inside `packet`. A result of 0 is stored as 0xffff when csum_offset is 6 (UDP's
/// checksum field, where 0 would mean "no checksum").
bool complete_checksum(const VirtioNetHdr& hdr, MutableByteView packet);

/// Where split() puts its segments: segment i starts at `base + i * stride`, and may use up
/// to `capacity` bytes there (stride >= capacity). `sizes[i]` receives its length.
struct SegmentArea {
    std::uint8_t* base = nullptr;
    std::size_t stride = 0;
    std::size_t capacity = 0;
    std::size_t max_segments = 0;
    std::size_t* sizes = nullptr;
};

/// Splits the IP packet `packet` (IPv4 or IPv6, no virtio header in it) as `hdr` says:
///  - gso_type NONE: one segment, a copy of the packet, with its checksum completed when
///    hdr.flags has NEEDS_CSUM;
///  - TCPV4/TCPV6 (optionally | ECN): segments of at most gso_size payload bytes, each with
///    copied IP and TCP headers (options kept), IPv4 total length, identification (+1 per
///    segment) and header checksum, IPv6 payload length, TCP sequence number advanced,
///    FIN and PSH only on the last segment, CWR only on the first, TCP checksum computed over
///    the pseudo-header;
///  - UDP_L4: segments of at most gso_size payload bytes with their own UDP header (length,
///    checksum) and IP header.
/// The header length is taken from the packet itself, never from hdr.hdr_len (which the kernel
/// only hints), and so is the packet's length (its IP header's; bytes after it are ignored);
/// csum_start/csum_offset are ignored for GSO types, whose checksums are all recomputed. A GSO
/// packet whose payload fits in gso_size (or is empty) gives one segment. IPv6 extension
/// headers and IPv4 fragments are refused; IPv4 options and TCP options are copied. A UDP
/// checksum that computes to 0 is written as 0xffff. Returns the number of segments written, or -1
/// when the packet is malformed (headers truncated or inconsistent with `hdr`, gso_size 0 for a GSO
/// type, or more segments or bytes than `area` holds); nothing useful is in `area` then.
int split(const VirtioNetHdr& hdr, ByteView packet, const SegmentArea& area);

/// How many segments split() would write for this packet, whatever the area, or -1 when it
/// would refuse the packet itself: a TSO packet towards a peer that advertised a small MSS can
/// need far more than 64 segments (65,483 bytes at MSS 536: 123), and a caller may want to
/// pick a larger area for it rather than drop it.
int segment_count(const VirtioNetHdr& hdr, ByteView packet);

} // namespace wgx::packet
