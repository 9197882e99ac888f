#pragma once
// Crafted IPv4/IPv6 TCP and UDP packets for the packet library's tests, benchmark and fuzz
// seeds, and an independent (deliberately naive) checksum to verify what the library produces.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wgx::testing {

using PacketBytes = std::vector<std::uint8_t>;

/// The plain RFC 1071 sum, one big-endian 16-bit word at a time, folded: the reference the
/// library's 64-bit implementation is checked against.
inline std::uint16_t reference_sum(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < n; i += 2)
        sum += std::uint32_t(p[i]) << 8 | p[i + 1];
    if (n % 2)
        sum += std::uint32_t(p[n - 1]) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return std::uint16_t(sum);
}

struct PacketSpec {
    int version = 4;
    std::uint8_t protocol = 6; // TCP; 17 for UDP
    std::array<std::uint8_t, 16> src{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    std::array<std::uint8_t, 16> dst{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    std::uint16_t sport = 40000, dport = 5201;
    std::uint32_t seq = 1000, ack = 777777;
    std::uint8_t flags = 0x10; // ACK
    std::uint16_t window = 502;
    std::vector<std::uint8_t> tcp_options;
    std::uint8_t tos = 0, ttl = 64;
    std::uint16_t id = 0x1234;
    bool df = true;
    std::uint32_t flow_label = 0x12345;
    /// Leave the L4 checksum field holding the folded pseudo-header sum (what the kernel hands
    /// over with NEEDS_CSUM) instead of the complete checksum.
    bool partial_checksum = false;
};

/// Payload bytes that differ at every offset, so a misplaced slice shows.
inline std::vector<std::uint8_t> pattern_payload(std::size_t n, std::uint8_t seed = 0) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = std::uint8_t(i * 7 + (i >> 8) * 13 + seed);
    return v;
}

inline void put16(std::uint8_t* p, std::uint16_t v) {
    p[0] = std::uint8_t(v >> 8);
    p[1] = std::uint8_t(v);
}
inline void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, std::uint16_t(v >> 16));
    put16(p + 2, std::uint16_t(v));
}
inline std::uint16_t get16(const std::uint8_t* p) {
    return std::uint16_t(p[0] << 8 | p[1]);
}
inline std::uint32_t get32(const std::uint8_t* p) {
    return std::uint32_t(get16(p)) << 16 | get16(p + 2);
}

inline std::size_t ip_header_len_of(const PacketBytes& p) {
    return (p[0] >> 4) == 4 ? std::size_t(p[0] & 15) * 4 : 40;
}

/// The pseudo-header sum (unfolded) of an IP packet whose L4 part is `l4_len` bytes.
inline std::uint32_t reference_pseudo(const std::uint8_t* ip, std::uint32_t l4_len) {
    std::uint32_t sum = 0;
    if ((ip[0] >> 4) == 4) {
        sum += reference_sum(ip + 12, 8);
        sum += ip[9];
    } else {
        sum += reference_sum(ip + 8, 32);
        sum += ip[6];
    }
    return sum + (l4_len >> 16) + (l4_len & 0xffff);
}

/// Builds one packet with valid IPv4 header checksum and (unless partial) L4 checksum.
inline PacketBytes craft_packet(const PacketSpec& s, const std::vector<std::uint8_t>& payload) {
    const bool tcp = s.protocol == 6;
    const std::size_t ip_len = s.version == 4 ? 20 : 40;
    const std::size_t l4_hdr = tcp ? 20 + s.tcp_options.size() : 8;
    PacketBytes p(ip_len + l4_hdr + payload.size());
    std::uint8_t* ip = p.data();
    if (s.version == 4) {
        ip[0] = 0x45;
        ip[1] = s.tos;
        put16(ip + 2, std::uint16_t(p.size()));
        put16(ip + 4, s.id);
        put16(ip + 6, s.df ? 0x4000 : 0);
        ip[8] = s.ttl;
        ip[9] = s.protocol;
        for (int i = 0; i < 4; ++i) {
            ip[12 + i] = s.src[i];
            ip[16 + i] = s.dst[i];
        }
        put16(ip + 10, std::uint16_t(~reference_sum(ip, 20)));
    } else {
        put32(ip, 0x60000000u | std::uint32_t(s.tos) << 20 | (s.flow_label & 0xfffff));
        put16(ip + 4, std::uint16_t(p.size() - 40));
        ip[6] = s.protocol;
        ip[7] = s.ttl;
        for (int i = 0; i < 16; ++i) {
            ip[8 + i] = s.src[i];
            ip[24 + i] = s.dst[i];
        }
    }
    std::uint8_t* l4 = ip + ip_len;
    put16(l4, s.sport);
    put16(l4 + 2, s.dport);
    std::size_t check_at;
    if (tcp) {
        put32(l4 + 4, s.seq);
        put32(l4 + 8, s.ack);
        l4[12] = std::uint8_t((l4_hdr / 4) << 4);
        l4[13] = s.flags;
        put16(l4 + 14, s.window);
        for (std::size_t i = 0; i < s.tcp_options.size(); ++i)
            l4[20 + i] = s.tcp_options[i];
        check_at = 16;
    } else {
        put16(l4 + 4, std::uint16_t(l4_hdr + payload.size()));
        check_at = 6;
    }
    for (std::size_t i = 0; i < payload.size(); ++i)
        l4[l4_hdr + i] = payload[i];
    const auto l4_len = std::uint32_t(p.size() - ip_len);
    std::uint16_t pseudo = reference_sum(nullptr, 0, reference_pseudo(ip, l4_len));
    if (s.partial_checksum) {
        put16(l4 + check_at, pseudo);
    } else {
        std::uint16_t c = std::uint16_t(~reference_sum(l4, l4_len, pseudo));
        put16(l4 + check_at, !tcp && c == 0 ? 0xffff : c);
    }
    return p;
}

/// TCP timestamps option padded to 12 bytes (NOP NOP TS), as Linux sends it.
inline std::vector<std::uint8_t> timestamps_option(std::uint32_t tsval, std::uint32_t tsecr) {
    std::vector<std::uint8_t> o{1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    put32(o.data() + 4, tsval);
    put32(o.data() + 8, tsecr);
    return o;
}

/// Whether an IPv4 header's checksum verifies (true for IPv6, which has none).
inline bool ip_header_checksum_ok(const std::uint8_t* ip) {
    if ((ip[0] >> 4) != 4)
        return true;
    return reference_sum(ip, std::size_t(ip[0] & 15) * 4) == 0xffff;
}

/// Whether the TCP/UDP checksum of the packet `ip` (IP length `len`) verifies.
inline bool l4_checksum_ok(const std::uint8_t* ip, std::size_t len) {
    const std::size_t hl = (ip[0] >> 4) == 4 ? std::size_t(ip[0] & 15) * 4 : 40;
    const auto l4_len = std::uint32_t(len - hl);
    return reference_sum(ip + hl, l4_len, reference_pseudo(ip, l4_len)) == 0xffff;
}

} // namespace wgx::testing
