#pragma once
// Views over the IPv4, IPv6, TCP and UDP headers at the front of an IP packet, and the one
// parse that checks them against the packet's length before anything else reads them.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"

namespace wgx::packet {

inline constexpr std::uint8_t IP_PROTO_TCP = 6;
inline constexpr std::uint8_t IP_PROTO_UDP = 17;

inline constexpr std::size_t IPV4_MIN_HEADER_LEN = 20;
inline constexpr std::size_t IPV6_HEADER_LEN = 40;
inline constexpr std::size_t TCP_MIN_HEADER_LEN = 20;
inline constexpr std::size_t UDP_HEADER_LEN = 8;

// Byte offsets of the fields this library reads or rewrites.
inline constexpr std::size_t IPV4_TOS = 1;
inline constexpr std::size_t IPV4_TOTAL_LENGTH = 2;
inline constexpr std::size_t IPV4_IDENTIFICATION = 4;
inline constexpr std::size_t IPV4_FRAGMENT = 6; // flags (3 bits) and fragment offset
inline constexpr std::size_t IPV4_TTL = 8;
inline constexpr std::size_t IPV4_PROTOCOL = 9;
inline constexpr std::size_t IPV4_CHECKSUM = 10;
inline constexpr std::size_t IPV4_ADDRESSES = 12; // source then destination, 8 bytes
inline constexpr std::uint16_t IPV4_DF = 0x4000;
inline constexpr std::uint16_t IPV4_MF = 0x2000;
inline constexpr std::uint16_t IPV4_OFFSET_MASK = 0x1fff;

inline constexpr std::size_t IPV6_PAYLOAD_LENGTH = 4;
inline constexpr std::size_t IPV6_NEXT_HEADER = 6;
inline constexpr std::size_t IPV6_HOP_LIMIT = 7;
inline constexpr std::size_t IPV6_ADDRESSES = 8; // source then destination, 32 bytes

inline constexpr std::size_t TCP_SEQ = 4;
inline constexpr std::size_t TCP_ACK = 8;
inline constexpr std::size_t TCP_DATA_OFFSET = 12;
inline constexpr std::size_t TCP_FLAGS = 13;
inline constexpr std::size_t TCP_WINDOW = 14;
inline constexpr std::size_t TCP_CHECKSUM = 16;
inline constexpr std::uint8_t TCP_FIN = 0x01;
inline constexpr std::uint8_t TCP_SYN = 0x02;
inline constexpr std::uint8_t TCP_RST = 0x04;
inline constexpr std::uint8_t TCP_PSH = 0x08;
inline constexpr std::uint8_t TCP_ACK_FLAG = 0x10;
inline constexpr std::uint8_t TCP_URG = 0x20;
inline constexpr std::uint8_t TCP_ECE = 0x40;
inline constexpr std::uint8_t TCP_CWR = 0x80;

inline constexpr std::size_t UDP_LENGTH = 4;
inline constexpr std::size_t UDP_CHECKSUM = 6;

inline std::uint16_t load_be16(const std::uint8_t* p) {
    return std::uint16_t(std::uint16_t(p[0]) << 8 | p[1]);
}
inline void store_be16(std::uint8_t* p, std::uint16_t v) {
    p[0] = std::uint8_t(v >> 8);
    p[1] = std::uint8_t(v);
}

/// What the headers of one IP packet say, checked against the packet's length: every offset
/// below lies inside the packet, so code holding an IpPacketLayout may read the headers freely.
struct IpPacketLayout {
    std::uint8_t ip_version = 0; ///< 4 or 6
    /// IPv4 protocol or IPv6 next header (an extension header's number when there is one: this
    /// library does not walk IPv6 extension headers, so such packets are never TCP/UDP here).
    std::uint8_t protocol = 0;
    bool fragment = false;           ///< IPv4 with MF or a fragment offset
    std::uint16_t ip_header_len = 0; ///< 20..60 for IPv4, 40 for IPv6
    /// TCP: data offset * 4, UDP: 8, anything else (or a fragment): 0.
    std::uint16_t l4_header_len = 0;
    /// The packet's length as its IP header says (bytes after it are ignored: padding).
    std::uint32_t length = 0;

    bool is_tcp() const { return l4_header_len != 0 && protocol == IP_PROTO_TCP; }
    bool is_udp() const { return l4_header_len != 0 && protocol == IP_PROTO_UDP; }
    std::size_t header_len() const { return std::size_t(ip_header_len) + l4_header_len; }
    std::size_t payload_len() const { return length - header_len(); }
    /// Offset and length of the source+destination addresses (what the pseudo-header sums).
    std::size_t addresses_offset() const {
        return ip_version == 4 ? IPV4_ADDRESSES : IPV6_ADDRESSES;
    }
    std::size_t addresses_len() const { return ip_version == 4 ? 8 : 32; }
};

/// Parses the IP header and, for unfragmented TCP and UDP, the transport header. Nullopt when
/// the packet is not IPv4/IPv6, a header is truncated or lengths contradict each other (an IP
/// length past the packet, a TCP data offset below 5 or past the IP payload). The UDP length
/// field is not checked here (a USO super-packet's may not match); readers that rely on it
/// compare it themselves.
std::optional<IpPacketLayout> parse_ip_packet(ByteView packet) noexcept;

} // namespace wgx::packet
