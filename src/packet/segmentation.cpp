#include "packet/segmentation.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "packet/checksum.hpp"
#include "packet/ip_header.hpp"

namespace wgx::packet {

namespace {

// A UDP checksum of zero means "none"; a computed zero is sent as its one's-complement twin.
constexpr std::uint16_t udp_checksum_value(std::uint16_t c) {
    return c == 0 ? 0xffff : c;
}

bool area_usable(const SegmentArea& area) {
    return area.base != nullptr && area.sizes != nullptr && area.max_segments > 0 &&
           area.stride >= area.capacity;
}

// Fills in the IP header of a segment whose IP packet is `length` bytes long.
void finish_ip_header(std::uint8_t* ip, const IpPacketLayout& layout, std::size_t length,
                      std::uint16_t identification) {
    if (layout.ip_version == 4) {
        store_be16(ip + IPV4_TOTAL_LENGTH, std::uint16_t(length));
        store_be16(ip + IPV4_IDENTIFICATION, identification);
        store_be16(ip + IPV4_CHECKSUM, 0);
        store_be16(ip + IPV4_CHECKSUM,
                   checksum_finish(checksum_add(ByteView(ip, layout.ip_header_len))));
    } else {
        store_be16(ip + IPV6_PAYLOAD_LENGTH, std::uint16_t(length - IPV6_HEADER_LEN));
    }
}

// The packet's layout when it is what the GSO type `type` (ECN bit removed) says it is.
std::optional<IpPacketLayout> gso_layout(const VirtioNetHdr& hdr, std::uint8_t type,
                                         ByteView packet) {
    if (hdr.gso_size == 0)
        return std::nullopt;
    auto layout = parse_ip_packet(packet);
    if (!layout || layout->fragment)
        return std::nullopt;
    switch (type) {
    case VIRTIO_NET_HDR_GSO_TCPV4:
        if (layout->ip_version == 4 && layout->is_tcp())
            return layout;
        break;
    case VIRTIO_NET_HDR_GSO_TCPV6:
        if (layout->ip_version == 6 && layout->is_tcp())
            return layout;
        break;
    case VIRTIO_NET_HDR_GSO_UDP_L4:
        if (layout->is_udp())
            return layout;
        break;
    default: // VIRTIO_NET_HDR_GSO_UDP (IP fragmentation, never offered) and unknown types
        break;
    }
    return std::nullopt;
}

std::size_t count_segments(const IpPacketLayout& layout, std::size_t gso) {
    const std::size_t payload_len = layout.payload_len();
    return payload_len == 0 ? 1 : (payload_len + gso - 1) / gso;
}

int split_gso(const VirtioNetHdr& hdr, ByteView packet, const IpPacketLayout& layout,
              const SegmentArea& area) {
    const bool tcp = layout.protocol == IP_PROTO_TCP;
    const std::size_t header_len = layout.header_len();
    const std::size_t payload_len = layout.payload_len();
    const std::size_t gso = hdr.gso_size;
    const std::size_t count = count_segments(layout, gso);
    if (count > area.max_segments || count > std::size_t(INT32_MAX) ||
        header_len + std::min(gso, payload_len) > area.capacity)
        return -1;

    const std::uint8_t* in = packet.data();
    const std::uint64_t addresses =
        checksum_add(packet.subspan(layout.addresses_offset(), layout.addresses_len()));
    const std::uint16_t id0 = layout.ip_version == 4 ? load_be16(in + IPV4_IDENTIFICATION) : 0;
    const std::uint8_t* l4_in = in + layout.ip_header_len;
    const std::uint32_t seq0 = tcp ? load_be32(l4_in + TCP_SEQ) : 0;
    const std::uint8_t flags0 = tcp ? l4_in[TCP_FLAGS] : 0;

    std::size_t offset = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t seg_payload = std::min(gso, payload_len - offset);
        const std::size_t length = header_len + seg_payload;
        std::uint8_t* out = area.base + i * area.stride;
        std::memcpy(out, in, header_len);
        finish_ip_header(out, layout, length, std::uint16_t(id0 + i));

        std::uint8_t* l4 = out + layout.ip_header_len;
        const std::size_t l4_len = length - layout.ip_header_len;
        if (tcp) {
            store_be32(l4 + TCP_SEQ, seq0 + std::uint32_t(offset));
            std::uint8_t flags = flags0;
            if (i + 1 != count)
                flags &= std::uint8_t(~(TCP_FIN | TCP_PSH));
            if (i != 0)
                flags &= std::uint8_t(~TCP_CWR);
            l4[TCP_FLAGS] = flags;
            store_be16(l4 + TCP_CHECKSUM, 0);
        } else {
            store_be16(l4 + UDP_LENGTH, std::uint16_t(l4_len));
            store_be16(l4 + UDP_CHECKSUM, 0);
        }
        std::uint64_t sum = addresses;
        sum = checksum_add_be16(sum, layout.protocol);
        sum = checksum_add_be16(sum, std::uint16_t(l4_len));
        // Headers first (an even length), then the payload, summed as it is copied.
        sum = checksum_add(ByteView(l4, layout.l4_header_len), sum);
        sum = checksum_copy(out + header_len, ByteView(in + header_len + offset, seg_payload), sum);
        std::uint16_t check = checksum_finish(sum);
        store_be16(l4 + (tcp ? TCP_CHECKSUM : UDP_CHECKSUM),
                   tcp ? check : udp_checksum_value(check));
        area.sizes[i] = length;
        offset += seg_payload;
    }
    return int(count);
}

} // namespace

bool complete_checksum(const VirtioNetHdr& hdr, MutableByteView packet) {
    const std::size_t start = hdr.csum_start;
    const std::size_t field = start + hdr.csum_offset;
    if (start > packet.size() || field + 2 > packet.size())
        return false;
    std::uint16_t check = checksum_finish(checksum_add(packet.subspan(start)));
    if (hdr.csum_offset == UDP_CHECKSUM)
        check = udp_checksum_value(check);
    store_be16(packet.data() + field, check);
    return true;
}

int segment_count(const VirtioNetHdr& hdr, ByteView packet) {
    if (packet.empty())
        return -1;
    const std::uint8_t type = hdr.gso_type & std::uint8_t(~VIRTIO_NET_HDR_GSO_ECN);
    if (type == VIRTIO_NET_HDR_GSO_NONE) {
        const std::size_t field = std::size_t(hdr.csum_start) + hdr.csum_offset;
        const bool offsets_fit = hdr.csum_start <= packet.size() && field + 2 <= packet.size();
        return (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && !offsets_fit ? -1 : 1;
    }
    auto layout = gso_layout(hdr, type, packet);
    return layout ? int(count_segments(*layout, hdr.gso_size)) : -1;
}

int split(const VirtioNetHdr& hdr, ByteView packet, const SegmentArea& area) {
    if (!area_usable(area) || packet.empty())
        return -1;
    const std::uint8_t type = hdr.gso_type & std::uint8_t(~VIRTIO_NET_HDR_GSO_ECN);
    if (type == VIRTIO_NET_HDR_GSO_NONE) {
        if (packet.size() > area.capacity)
            return -1;
        std::memcpy(area.base, packet.data(), packet.size());
        if ((hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
            !complete_checksum(hdr, MutableByteView(area.base, packet.size())))
            return -1;
        area.sizes[0] = packet.size();
        return 1;
    }
    auto layout = gso_layout(hdr, type, packet);
    return layout ? split_gso(hdr, packet, *layout, area) : -1;
}

} // namespace wgx::packet
