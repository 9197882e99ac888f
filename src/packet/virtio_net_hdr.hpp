#pragma once
// The virtio-net header that a TUN device opened with IFF_VNET_HDR puts before every packet:
// how a super-packet is to be segmented (GSO) and where its checksum is still to be completed.
// Little-endian on the wire (TUN on x86 and every little-endian host).
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"

namespace wgx::packet {

inline constexpr std::size_t VIRTIO_NET_HDR_SIZE = 10;

// flags
inline constexpr std::uint8_t VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
inline constexpr std::uint8_t VIRTIO_NET_HDR_F_DATA_VALID = 2;
// gso_type (Linux 6.2 added UDP_L4 for TUN; Debian 12's headers lack it, so it is defined here)
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_NONE = 0;
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_TCPV4 = 1;
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_UDP = 3;
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_TCPV6 = 4;
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
inline constexpr std::uint8_t VIRTIO_NET_HDR_GSO_ECN = 0x80;

struct VirtioNetHdr {
    std::uint8_t flags = 0;
    std::uint8_t gso_type = VIRTIO_NET_HDR_GSO_NONE;
    std::uint16_t hdr_len = 0;
    std::uint16_t gso_size = 0;
    std::uint16_t csum_start = 0;
    std::uint16_t csum_offset = 0;

    bool operator==(const VirtioNetHdr&) const = default;
};

/// Reads the header from the first VIRTIO_NET_HDR_SIZE bytes of `bytes` (which must hold them).
VirtioNetHdr consume_virtio_net_hdr(ByteView bytes);
/// Writes `hdr` into the first VIRTIO_NET_HDR_SIZE bytes of `out`.
void create_virtio_net_hdr(const VirtioNetHdr& hdr, MutableByteView out);

} // namespace wgx::packet
