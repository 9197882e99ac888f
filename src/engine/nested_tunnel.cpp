#include "engine/nested_tunnel.hpp"

#include "packet/ip_header.hpp"
#include "protocol/messages.hpp"

namespace wgx::engine {
namespace {

constexpr std::uint8_t IPV6_FRAGMENT_HEADER = 44;
constexpr std::size_t IPV6_FRAGMENT_HEADER_LEN = 8;

/// A UDP payload of `size` bytes (per the UDP header) starting with `head` (at least 4 bytes
/// at hand): a WireGuard message by its type, reserved bytes and size.
bool wireguard_message(ByteView head, std::size_t size) {
    if (head.size() < 4 || head[1] != 0 || head[2] != 0 || head[3] != 0)
        return false;
    switch (head[0]) {
    case protocol::MESSAGE_HANDSHAKE_INITIATION:
        return size == protocol::initiation::SIZE;
    case protocol::MESSAGE_HANDSHAKE_RESPONSE:
        return size == protocol::response::SIZE;
    case protocol::MESSAGE_HANDSHAKE_COOKIE:
        return size == protocol::cookie_reply::SIZE;
    case protocol::MESSAGE_TRANSPORT_DATA:
        // Not always a multiple of 16 past the header: padding stops at the sender's MTU.
        return size >= protocol::transport::MIN_SIZE;
    default:
        return false;
    }
}

/// The UDP header at `offset` of `p` and what follows it (possibly cut short by fragmentation).
bool udp_carries_wireguard(ByteView p, std::size_t offset) {
    if (p.size() < offset + packet::UDP_HEADER_LEN + 4)
        return false;
    std::size_t udp_length = packet::load_be16(&p[offset + packet::UDP_LENGTH]);
    if (udp_length < packet::UDP_HEADER_LEN)
        return false;
    return wireguard_message(p.subspan(offset + packet::UDP_HEADER_LEN),
                             udp_length - packet::UDP_HEADER_LEN);
}

} // namespace

bool carries_wireguard(ByteView ip_packet) {
    auto layout = packet::parse_ip_packet(ip_packet);
    if (!layout)
        return false;
    ByteView p = ip_packet.first(layout->length);
    if (layout->ip_version == 4) {
        if (layout->protocol != packet::IP_PROTO_UDP)
            return false;
        // Only the first fragment holds the UDP header; later ones cannot be told apart.
        bool first = (packet::load_be16(&p[packet::IPV4_FRAGMENT]) & packet::IPV4_OFFSET_MASK) == 0;
        return first && udp_carries_wireguard(p, layout->ip_header_len);
    }
    std::size_t offset = packet::IPV6_HEADER_LEN;
    std::uint8_t next = layout->protocol;
    if (next == IPV6_FRAGMENT_HEADER) {
        // The fragment header alone: the first fragment of a datagram the sender split.
        if (p.size() < offset + IPV6_FRAGMENT_HEADER_LEN)
            return false;
        next = p[offset];
        bool first = (packet::load_be16(&p[offset + 2]) & 0xfff8) == 0;
        offset += IPV6_FRAGMENT_HEADER_LEN;
        if (!first)
            return false;
    }
    return next == packet::IP_PROTO_UDP && udp_carries_wireguard(p, offset);
}

bool carries_wireguard(const protocol::Output::Datagram& datagram) {
    if (datagram.unsealed == nullptr || datagram.bytes.size() < protocol::transport::MIN_SIZE)
        return false;
    ByteView plaintext(datagram.bytes.data() + protocol::transport::HEADER_SIZE,
                       datagram.bytes.size() - protocol::transport::MIN_SIZE);
    return carries_wireguard(plaintext);
}

} // namespace wgx::engine
