#include "packet/ip_header.hpp"

namespace wgx::packet {

namespace {
bool parse_ipv4(ByteView p, IpPacketLayout& out) {
    if (p.size() < IPV4_MIN_HEADER_LEN)
        return false;
    std::size_t ihl = std::size_t(p[0] & 0x0f) * 4;
    std::size_t total = load_be16(&p[IPV4_TOTAL_LENGTH]);
    if (ihl < IPV4_MIN_HEADER_LEN || total < ihl || total > p.size())
        return false;
    std::uint16_t frag = load_be16(&p[IPV4_FRAGMENT]);
    out.ip_version = 4;
    out.protocol = p[IPV4_PROTOCOL];
    out.fragment = (frag & (IPV4_MF | IPV4_OFFSET_MASK)) != 0;
    out.ip_header_len = std::uint16_t(ihl);
    out.length = std::uint32_t(total);
    return true;
}

bool parse_ipv6(ByteView p, IpPacketLayout& out) {
    if (p.size() < IPV6_HEADER_LEN)
        return false;
    std::size_t total = IPV6_HEADER_LEN + load_be16(&p[IPV6_PAYLOAD_LENGTH]);
    if (total > p.size())
        return false;
    out.ip_version = 6;
    out.protocol = p[IPV6_NEXT_HEADER];
    out.ip_header_len = std::uint16_t(IPV6_HEADER_LEN);
    out.length = std::uint32_t(total);
    return true;
}
} // namespace

std::optional<IpPacketLayout> parse_ip_packet(ByteView packet) noexcept {
    if (packet.empty())
        return std::nullopt;
    IpPacketLayout out;
    bool ok = false;
    switch (packet[0] >> 4) {
    case 4:
        ok = parse_ipv4(packet, out);
        break;
    case 6:
        ok = parse_ipv6(packet, out);
        break;
    default:
        break;
    }
    if (!ok)
        return std::nullopt;
    if (out.fragment)
        return out;
    std::size_t l4_len = out.length - out.ip_header_len;
    const std::uint8_t* l4 = packet.data() + out.ip_header_len;
    if (out.protocol == IP_PROTO_TCP) {
        if (l4_len < TCP_MIN_HEADER_LEN)
            return std::nullopt;
        std::size_t doff = std::size_t(l4[TCP_DATA_OFFSET] >> 4) * 4;
        if (doff < TCP_MIN_HEADER_LEN || doff > l4_len)
            return std::nullopt;
        out.l4_header_len = std::uint16_t(doff);
    } else if (out.protocol == IP_PROTO_UDP) {
        if (l4_len < UDP_HEADER_LEN)
            return std::nullopt;
        out.l4_header_len = std::uint16_t(UDP_HEADER_LEN);
    }
    return out;
}

} // namespace wgx::packet
