#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "packet/ip_header.hpp"
#include "packet/segmentation.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;
using wgx::testing::get16;
using wgx::testing::get32;

namespace {

constexpr std::uint8_t GUARD = 0xa5;

// A segment area with guard bytes after the last slot and after each slot's capacity.
struct Area {
    std::size_t stride, capacity, max_segments;
    std::vector<std::uint8_t> bytes;
    std::vector<std::size_t> sizes;

    Area(std::size_t stride_, std::size_t capacity_, std::size_t max_segments_)
        : stride(stride_), capacity(capacity_), max_segments(max_segments_),
          bytes(stride_ * max_segments_ + 64, GUARD), sizes(max_segments_ + 1, 0) {}
    SegmentArea view() { return {bytes.data(), stride, capacity, max_segments, sizes.data()}; }
    const std::uint8_t* segment(std::size_t i) const { return bytes.data() + i * stride; }
    // No byte outside [i*stride, i*stride+capacity) was written.
    bool guards_intact() const {
        for (std::size_t i = 0; i < max_segments; ++i)
            for (std::size_t b = capacity; b < stride; ++b)
                if (bytes[i * stride + b] != GUARD)
                    return false;
        for (std::size_t b = stride * max_segments; b < bytes.size(); ++b)
            if (bytes[b] != GUARD)
                return false;
        return sizes[max_segments] == 0;
    }
};

VirtioNetHdr gso_hdr(const testing::PacketBytes& p, std::uint8_t type, std::uint16_t gso) {
    const auto hl = std::uint16_t(testing::ip_header_len_of(p));
    const bool tcp = type == VIRTIO_NET_HDR_GSO_TCPV4 || type == VIRTIO_NET_HDR_GSO_TCPV6;
    const auto l4_hdr = std::uint16_t(tcp ? (p[hl + 12] >> 4) * 4 : 8);
    return {VIRTIO_NET_HDR_F_NEEDS_CSUM, type, std::uint16_t(hl + l4_hdr), gso, hl,
            std::uint16_t(tcp ? 16 : 6)};
}

// Splits `super` and checks every segment against what the wire would have carried.
void check_split(const testing::PacketSpec& spec, std::size_t payload_len, std::uint16_t gso) {
    auto payload = testing::pattern_payload(payload_len);
    auto super = testing::craft_packet(spec, payload);
    const bool tcp = spec.protocol == IP_PROTO_TCP;
    const std::uint8_t type =
        tcp ? (spec.version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6)
            : VIRTIO_NET_HDR_GSO_UDP_L4;
    auto hdr = gso_hdr(super, type, gso);
    const std::size_t header_len = hdr.hdr_len;
    const std::size_t hl = testing::ip_header_len_of(super);
    const std::size_t expected = payload_len == 0 ? 1 : (payload_len + gso - 1) / std::size_t(gso);
    Area area(header_len + gso + 13, header_len + gso, 64);
    int n = split(hdr, super, area.view());
    REQUIRE(n == int(expected));
    CHECK(segment_count(hdr, super) == n);
    CHECK(area.guards_intact());

    std::vector<std::uint8_t> joined;
    for (int i = 0; i < n; ++i) {
        CAPTURE(i);
        const std::uint8_t* seg = area.segment(std::size_t(i));
        const std::size_t size = area.sizes[std::size_t(i)];
        const bool last = i + 1 == n;
        const std::size_t seg_payload = size - header_len;
        CHECK(seg_payload == (last ? payload_len - std::size_t(gso) * std::size_t(i) : gso));
        CHECK(testing::ip_header_checksum_ok(seg));
        CHECK(testing::l4_checksum_ok(seg, size));
        if (spec.version == 4) {
            CHECK(get16(seg + 2) == size);
            CHECK(get16(seg + 4) == std::uint16_t(spec.id + i));
        } else {
            CHECK(get16(seg + 4) == size - 40);
        }
        const std::uint8_t* l4 = seg + hl;
        CHECK(get16(l4) == spec.sport);
        CHECK(get16(l4 + 2) == spec.dport);
        if (tcp) {
            CHECK(get32(l4 + 4) == spec.seq + std::uint32_t(i) * gso);
            CHECK(get32(l4 + 8) == spec.ack);
            std::uint8_t flags = spec.flags;
            if (!last)
                flags &= std::uint8_t(~(TCP_FIN | TCP_PSH));
            if (i != 0)
                flags &= std::uint8_t(~TCP_CWR);
            CHECK(l4[13] == flags);
            CHECK(std::equal(spec.tcp_options.begin(), spec.tcp_options.end(), l4 + 20));
        } else {
            CHECK(get16(l4 + 4) == size - hl);
            CHECK(get16(l4 + 6) != 0);
        }
        joined.insert(joined.end(), seg + header_len, seg + size);
    }
    CHECK(joined == payload);
}

testing::PacketSpec tcp_spec(int version) {
    testing::PacketSpec spec;
    spec.version = version;
    if (version == 4) {
        spec.src = {192, 0, 2, 1};
        spec.dst = {198, 51, 100, 2};
    }
    spec.tcp_options = testing::timestamps_option(0x01020304, 0x0a0b0c0d);
    spec.flags = TCP_ACK_FLAG | TCP_PSH;
    spec.partial_checksum = true;
    return spec;
}

} // namespace

TEST_CASE("segmentation: a 64 KB TCPv4 super-packet with timestamps, MSS 1380") {
    check_split(tcp_spec(4), 65535 - 52, 1380);
}

TEST_CASE("segmentation: TCPv6 super-packets of odd sizes, the last segment short or full") {
    for (std::size_t payload : {1u, 1379u, 1380u, 1381u, 2760u, 4097u, 65535u - 32u - 1u})
        for (std::uint16_t gso : {1380, 1207, 536}) {
            CAPTURE(payload);
            CAPTURE(gso);
            if ((payload + gso - 1) / gso <= 64)
                check_split(tcp_spec(6), payload, gso);
        }
}

TEST_CASE("segmentation: FIN and PSH only on the last segment, CWR only on the first") {
    auto spec = tcp_spec(4);
    spec.flags = TCP_ACK_FLAG | TCP_PSH | TCP_FIN | TCP_CWR;
    check_split(spec, 5000, 1000);
    spec.version = 6;
    check_split(spec, 4999, 1000);
}

TEST_CASE("segmentation: TCP without options and with a sequence number that wraps") {
    auto spec = tcp_spec(4);
    spec.tcp_options.clear();
    spec.seq = 0xffffff00;
    check_split(spec, 3000, 1400);
}

TEST_CASE("segmentation: UDP_L4 over IPv4 and IPv6") {
    for (int version : {4, 6}) {
        testing::PacketSpec spec;
        spec.version = version;
        spec.protocol = IP_PROTO_UDP;
        spec.partial_checksum = true;
        check_split(spec, 10 * 1392, 1392);
        check_split(spec, 10 * 1392 + 17, 1392);
        check_split(spec, 3, 1392);
    }
}

TEST_CASE("segmentation: a super-packet that fits in one segment still gets complete checksums") {
    check_split(tcp_spec(4), 700, 1380);
    check_split(tcp_spec(6), 0, 1380);
}

TEST_CASE("segmentation: the IPv4 ECN gso flag is accepted") {
    auto super = testing::craft_packet(tcp_spec(4), testing::pattern_payload(3000));
    auto hdr = gso_hdr(super, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN, 1000);
    Area area(2048, 2048, 8);
    CHECK(split(hdr, super, area.view()) == 3);
}

TEST_CASE("segmentation: gso NONE copies the packet and completes a partial checksum") {
    for (int version : {4, 6})
        for (std::uint8_t proto : {IP_PROTO_TCP, IP_PROTO_UDP}) {
            testing::PacketSpec spec;
            spec.version = version;
            spec.protocol = proto;
            spec.partial_checksum = true;
            auto p = testing::craft_packet(spec, testing::pattern_payload(333));
            const auto hl = std::uint16_t(testing::ip_header_len_of(p));
            VirtioNetHdr hdr{VIRTIO_NET_HDR_F_NEEDS_CSUM,
                             VIRTIO_NET_HDR_GSO_NONE,
                             0,
                             0,
                             hl,
                             std::uint16_t(proto == IP_PROTO_TCP ? 16 : 6)};
            CHECK_FALSE(testing::l4_checksum_ok(p.data(), p.size()));
            Area area(2048, 1500, 4);
            CHECK(segment_count(hdr, p) == 1);
            REQUIRE(split(hdr, p, area.view()) == 1);
            REQUIRE(area.sizes[0] == p.size());
            CHECK(testing::l4_checksum_ok(area.segment(0), p.size()));
            CHECK(area.guards_intact());
            // Without NEEDS_CSUM the bytes are copied as they are.
            hdr.flags = 0;
            REQUIRE(split(hdr, p, area.view()) == 1);
            CHECK(std::equal(p.begin(), p.end(), area.segment(0)));
        }
}

TEST_CASE("segmentation: a UDP checksum that computes to zero is sent as 0xffff") {
    testing::PacketSpec spec;
    spec.protocol = IP_PROTO_UDP;
    spec.partial_checksum = true;
    auto p = testing::craft_packet(spec, std::vector<std::uint8_t>(20, 0));
    // Choose the last two payload bytes so that the whole sum is 0xffff (checksum 0).
    std::vector<std::uint8_t> copy = p;
    VirtioNetHdr hdr{VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 20, 6};
    REQUIRE(complete_checksum(hdr, copy));
    const std::uint16_t c = get16(copy.data() + 26);
    testing::put16(p.data() + p.size() - 2, c);
    REQUIRE(complete_checksum(hdr, p));
    CHECK(get16(p.data() + 26) == 0xffff);
    CHECK(testing::l4_checksum_ok(p.data(), p.size()));

    auto super = p;
    VirtioNetHdr gso{VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_UDP_L4, 28, 1000, 20, 6};
    testing::put16(super.data() + 26, 0);
    Area area(2048, 2048, 4);
    REQUIRE(split(gso, super, area.view()) == 1);
    CHECK(get16(area.segment(0) + 26) == 0xffff);
}

TEST_CASE("segmentation: complete_checksum refuses offsets outside the packet") {
    auto p = testing::craft_packet({}, testing::pattern_payload(10));
    const auto before = p;
    const auto n = std::uint16_t(p.size());
    for (VirtioNetHdr hdr : {VirtioNetHdr{1, 0, 0, 0, std::uint16_t(n + 1), 0},
                             VirtioNetHdr{1, 0, 0, 0, std::uint16_t(n - 1), 0},
                             VirtioNetHdr{1, 0, 0, 0, 20, std::uint16_t(n - 21)},
                             VirtioNetHdr{1, 0, 0, 0, 0xffff, 0xffff}}) {
        CHECK_FALSE(complete_checksum(hdr, p));
        CHECK(p == before);
        CHECK(segment_count(hdr, p) == -1);
    }
    CHECK(complete_checksum(VirtioNetHdr{1, 0, 0, 0, 20, std::uint16_t(n - 22)}, p));
}

TEST_CASE("segmentation: malformed super-packets and areas give -1 without writing outside") {
    auto super = testing::craft_packet(tcp_spec(4), testing::pattern_payload(5000));
    auto hdr = gso_hdr(super, VIRTIO_NET_HDR_GSO_TCPV4, 1000);
    SUBCASE("every truncation") {
        for (std::size_t n = 0; n < super.size(); ++n) {
            Area area(1200, 1200, 8);
            CHECK(split(hdr, ByteView(super).first(n), area.view()) == -1);
            CHECK(segment_count(hdr, ByteView(super).first(n)) == -1);
            CHECK(area.guards_intact());
        }
    }
    SUBCASE("gso_size 0") {
        hdr.gso_size = 0;
        Area area(1200, 1200, 8);
        CHECK(split(hdr, super, area.view()) == -1);
        CHECK(segment_count(hdr, super) == -1);
        CHECK(area.guards_intact());
    }
    SUBCASE("more segments than the area holds") {
        Area area(1200, 1200, 4);
        CHECK(split(hdr, super, area.view()) == -1);
        CHECK(area.guards_intact());
        CHECK(segment_count(hdr, super) == 5); // what an area must hold instead
        hdr.gso_size = 1;
        Area many(100, 100, 64);
        CHECK(split(hdr, super, many.view()) == -1);
        CHECK(segment_count(hdr, super) == 5000);
        CHECK(many.guards_intact());
    }
    SUBCASE("a segment larger than the capacity") {
        Area area(1200, 1051, 8); // 52 + 1000 needed
        CHECK(split(hdr, super, area.view()) == -1);
        CHECK(area.guards_intact());
        Area small(2048, 100, 8);
        VirtioNetHdr none{};
        CHECK(split(none, super, small.view()) == -1);
        CHECK(small.guards_intact());
    }
    SUBCASE("an unusable area") {
        Area area(1200, 1200, 8);
        auto v = area.view();
        v.base = nullptr;
        CHECK(split(hdr, super, v) == -1);
        v = area.view();
        v.sizes = nullptr;
        CHECK(split(hdr, super, v) == -1);
        v = area.view();
        v.stride = 1000; // < capacity: slots would overlap
        CHECK(split(hdr, super, v) == -1);
        v = area.view();
        v.max_segments = 0;
        CHECK(split(hdr, super, v) == -1);
        CHECK(area.guards_intact());
    }
    SUBCASE("a gso type that does not match the packet") {
        Area area(1200, 1200, 8);
        for (std::uint8_t type : {VIRTIO_NET_HDR_GSO_TCPV6, VIRTIO_NET_HDR_GSO_UDP,
                                  VIRTIO_NET_HDR_GSO_UDP_L4, std::uint8_t(2), std::uint8_t(9)}) {
            hdr.gso_type = type;
            CHECK(split(hdr, super, area.view()) == -1);
            CHECK(segment_count(hdr, super) == -1);
        }
        CHECK(area.guards_intact());
    }
    SUBCASE("an IPv4 fragment, an IP length past the packet, a bad TCP data offset") {
        Area area(1200, 1200, 8);
        auto p = super;
        p[6] |= 0x20;
        CHECK(split(hdr, p, area.view()) == -1);
        p = super;
        testing::put16(p.data() + 2, std::uint16_t(super.size() + 1));
        CHECK(split(hdr, p, area.view()) == -1);
        p = super;
        p[20 + 12] = 0x30;
        CHECK(split(hdr, p, area.view()) == -1);
        CHECK(area.guards_intact());
    }
    SUBCASE("an empty packet") {
        Area area(1200, 1200, 8);
        CHECK(split(VirtioNetHdr{}, ByteView(), area.view()) == -1);
    }
}
