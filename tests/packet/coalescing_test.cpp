#include <doctest/doctest.h>

#include <vector>

#include "packet/coalescing.hpp"
#include "packet/ip_header.hpp"
#include "packet/segmentation.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;
using wgx::testing::get16;
using wgx::testing::get32;
using wgx::testing::PacketBytes;

namespace {

constexpr std::uint16_t MSS = 1380;

testing::PacketSpec flow(int version, std::uint16_t sport = 40000) {
    testing::PacketSpec spec;
    spec.version = version;
    if (version == 4) {
        spec.src = {192, 0, 2, 1};
        spec.dst = {198, 51, 100, 2};
    }
    spec.sport = sport;
    spec.tcp_options = testing::timestamps_option(100, 200);
    return spec;
}

// A segment of `spec`'s flow carrying payload bytes [offset, offset + len) of the stream.
PacketBytes segment(testing::PacketSpec spec, std::size_t offset, std::size_t len,
                    std::uint8_t extra_flags = 0) {
    spec.seq += std::uint32_t(offset);
    spec.flags |= extra_flags;
    auto stream = testing::pattern_payload(offset + len, std::uint8_t(spec.sport));
    return testing::craft_packet(
        spec, std::vector<std::uint8_t>(stream.begin() + long(offset), stream.end()));
}

// The bytes a write puts on the TUN device, split into its virtio header and IP packet.
struct Written {
    VirtioNetHdr hdr;
    PacketBytes packet;
};
Written concat(const CoalescedWrite& w) {
    PacketBytes all;
    for (auto part : w.parts)
        all.insert(all.end(), part.begin(), part.end());
    REQUIRE(all.size() >= VIRTIO_NET_HDR_SIZE);
    REQUIRE(w.parts.front().size() == VIRTIO_NET_HDR_SIZE);
    return {consume_virtio_net_hdr(all), PacketBytes(all.begin() + VIRTIO_NET_HDR_SIZE, all.end())};
}

// What the kernel does with a merged write before its stack reads it: completes the checksum
// the header asks for; then every checksum must verify independently.
void check_checksums(Written w) {
    CHECK(testing::ip_header_checksum_ok(w.packet.data()));
    if (w.hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
        REQUIRE(complete_checksum(w.hdr, w.packet));
    CHECK(testing::l4_checksum_ok(w.packet.data(), w.packet.size()));
}

std::vector<Written> run(Coalescer& c, std::vector<PacketBytes>& packets) {
    c.clear();
    for (auto& p : packets)
        c.add(p);
    std::vector<Written> out;
    for (const auto& w : c.finish())
        out.push_back(concat(w));
    return out;
}

std::size_t payload_of(const Written& w) {
    auto l = parse_ip_packet(w.packet);
    REQUIRE(l);
    return l->payload_len();
}

} // namespace

TEST_CASE("coalescing: split then coalesce gives back the super-packet (TCPv4, TCPv6)") {
    for (int version : {4, 6}) {
        CAPTURE(version);
        auto spec = flow(version);
        spec.flags = TCP_ACK_FLAG | TCP_PSH;
        spec.partial_checksum = true;
        const std::size_t payload_len = version == 4 ? 65535 - 52 : 65535 - 32 - 40;
        auto super = testing::craft_packet(spec, testing::pattern_payload(payload_len));
        const auto hl = std::uint16_t(version == 4 ? 20 : 40);
        VirtioNetHdr in{VIRTIO_NET_HDR_F_NEEDS_CSUM,
                        version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6,
                        std::uint16_t(hl + 32),
                        MSS,
                        hl,
                        16};
        std::vector<std::uint8_t> area(64 * 2048);
        std::vector<std::size_t> sizes(64);
        int n = split(in, super, {area.data(), 2048, 2048, 64, sizes.data()});
        REQUIRE(n == int((payload_len + MSS - 1) / MSS));

        Coalescer c;
        for (int i = 0; i < n; ++i)
            c.add(MutableByteView(area.data() + std::size_t(i) * 2048, sizes[std::size_t(i)]));
        auto writes = c.finish();
        REQUIRE(writes.size() == 1);
        CHECK(writes[0].parts.size() == std::size_t(n) + 1);
        auto w = concat(writes[0]);
        CHECK(w.hdr == in);
        CHECK(w.packet == super); // identification, PSH, lengths, pseudo-header sum included
        check_checksums(w);
    }
}

TEST_CASE("coalescing: UDP is merged only when enabled, into a UDP_L4 super-packet") {
    for (int version : {4, 6}) {
        testing::PacketSpec spec;
        spec.version = version;
        spec.protocol = IP_PROTO_UDP;
        spec.partial_checksum = true;
        auto super = testing::craft_packet(spec, testing::pattern_payload(5 * 1392 + 100));
        const auto hl = std::uint16_t(version == 4 ? 20 : 40);
        VirtioNetHdr in{VIRTIO_NET_HDR_F_NEEDS_CSUM,
                        VIRTIO_NET_HDR_GSO_UDP_L4,
                        std::uint16_t(hl + 8),
                        1392,
                        hl,
                        6};
        std::vector<std::uint8_t> area(8 * 2048);
        std::vector<std::size_t> sizes(8);
        int n = split(in, super, {area.data(), 2048, 2048, 8, sizes.data()});
        REQUIRE(n == 6);
        auto add_all = [&](Coalescer& c) {
            for (int i = 0; i < n; ++i)
                c.add(MutableByteView(area.data() + std::size_t(i) * 2048, sizes[std::size_t(i)]));
        };
        Coalescer tcp_only;
        add_all(tcp_only);
        auto plain = tcp_only.finish();
        REQUIRE(plain.size() == 6);
        for (const auto& w : plain) {
            auto written = concat(w);
            CHECK(written.hdr == VirtioNetHdr{});
            check_checksums(written);
        }
        Coalescer with_udp(CoalesceOptions{.udp = true});
        add_all(with_udp);
        auto merged = with_udp.finish();
        REQUIRE(merged.size() == 1);
        auto w = concat(merged[0]);
        CHECK(w.hdr == in);
        CHECK(w.packet == super);
        check_checksums(w);
    }
}

TEST_CASE("coalescing: interleaved flows merge separately and keep their order") {
    auto a = flow(4, 1111), b = flow(4, 2222), v6 = flow(6, 1111);
    std::vector<PacketBytes> packets{
        segment(a, 0, MSS),    segment(b, 0, MSS),       segment(v6, 0, MSS),
        segment(a, MSS, MSS),  segment(b, MSS, MSS),     segment(a, 2 * MSS, 10),
        segment(v6, MSS, MSS), segment(b, 2 * MSS, MSS), segment(a, 2 * MSS + 10, MSS)};
    Coalescer c;
    auto out = run(c, packets);
    REQUIRE(out.size() == 4);
    // a: three segments (the short third ends the group), then a new group for the fourth.
    CHECK(get16(out[0].packet.data() + 20) == 1111);
    CHECK(out[0].hdr.gso_type == VIRTIO_NET_HDR_GSO_TCPV4);
    CHECK(out[0].hdr.gso_size == MSS);
    CHECK(payload_of(out[0]) == 2 * MSS + 10);
    CHECK(get16(out[1].packet.data() + 20) == 2222);
    CHECK(payload_of(out[1]) == 3 * MSS);
    CHECK(out[2].hdr.gso_type == VIRTIO_NET_HDR_GSO_TCPV6);
    CHECK(payload_of(out[2]) == 2 * MSS);
    CHECK(get32(out[3].packet.data() + 24) == a.seq + 2 * MSS + 10);
    CHECK(out[3].hdr == VirtioNetHdr{});
    for (auto& w : out)
        check_checksums(w);
    // The merged payload is the stream's bytes in order.
    auto stream = testing::pattern_payload(2 * MSS + 10, std::uint8_t(1111));
    CHECK(PacketBytes(out[0].packet.begin() + 52, out[0].packet.end()) == stream);
}

TEST_CASE("coalescing: a gap, a repeat or a reordering in the sequence starts a new write") {
    auto a = flow(4);
    std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, 2 * MSS, MSS),
                                     segment(a, 2 * MSS, MSS), segment(a, MSS, MSS)};
    Coalescer c;
    auto out = run(c, packets);
    REQUIRE(out.size() == 4);
    for (std::size_t i = 0; i < 4; ++i)
        CHECK(out[i].packet == packets[i]); // unchanged
}

TEST_CASE("coalescing: CWR, ECE, SYN, FIN, RST, URG and pure ACKs stop merging") {
    auto a = flow(6);
    for (std::uint8_t flag : {TCP_CWR, TCP_ECE, TCP_SYN, TCP_FIN, TCP_RST, TCP_URG}) {
        CAPTURE(int(flag));
        std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, MSS, MSS, flag),
                                         segment(a, 2 * MSS, MSS), segment(a, 3 * MSS, MSS)};
        Coalescer c;
        auto out = run(c, packets);
        REQUIRE(out.size() == 3);
        CHECK(out[0].packet == packets[0]);
        CHECK(out[1].packet == packets[1]);
        CHECK(payload_of(out[2]) == 2 * MSS);
    }
    std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, MSS, 0), segment(a, MSS, MSS)};
    Coalescer c;
    CHECK(run(c, packets).size() == 3);
}

TEST_CASE("coalescing: an IP ECN mark (TOS) or another TTL stops merging") {
    auto a = flow(4);
    auto ce = a;
    ce.tos = 3;
    auto ttl = a;
    ttl.ttl = 63;
    std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(ce, MSS, MSS),
                                     segment(ttl, 2 * MSS, MSS)};
    Coalescer c;
    CHECK(run(c, packets).size() == 3);
    auto v6 = flow(6), v6ce = flow(6);
    v6ce.tos = 3;
    packets = {segment(v6, 0, MSS), segment(v6ce, MSS, MSS)};
    CHECK(run(c, packets).size() == 2);
}

TEST_CASE("coalescing: PSH is allowed on the last merged segment only") {
    auto a = flow(4);
    SUBCASE("PSH on the first segment keeps it alone") {
        std::vector<PacketBytes> packets{segment(a, 0, MSS, TCP_PSH), segment(a, MSS, MSS)};
        Coalescer c;
        auto out = run(c, packets);
        REQUIRE(out.size() == 2);
        CHECK(out[0].packet == packets[0]);
    }
    SUBCASE("PSH on a later segment ends the group and is kept on the super-packet") {
        std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, MSS, MSS, TCP_PSH),
                                         segment(a, 2 * MSS, MSS)};
        Coalescer c;
        auto out = run(c, packets);
        REQUIRE(out.size() == 2);
        CHECK(payload_of(out[0]) == 2 * MSS);
        CHECK((out[0].packet[20 + 13] & TCP_PSH) != 0);
        check_checksums(out[0]);
        CHECK((out[1].packet[20 + 13] & TCP_PSH) == 0);
    }
}

TEST_CASE("coalescing: segments differing in ACK, window, options or size do not merge") {
    auto a = flow(4);
    auto other_ack = a, other_window = a, other_ts = a, no_options = a;
    other_ack.ack += 1;
    other_window.window += 1;
    other_ts.tcp_options = testing::timestamps_option(101, 200);
    no_options.tcp_options.clear();
    for (const auto& b : {other_ack, other_window, other_ts, no_options}) {
        std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(b, MSS, MSS)};
        Coalescer c;
        CHECK(run(c, packets).size() == 2);
    }
    // A larger segment after a smaller one is not the same gso_size.
    std::vector<PacketBytes> packets{segment(a, 0, 500), segment(a, 500, MSS)};
    Coalescer c;
    CHECK(run(c, packets).size() == 2);
}

TEST_CASE("coalescing: max_segments and max_size bound a super-packet") {
    auto a = flow(4);
    std::vector<PacketBytes> packets;
    for (std::size_t i = 0; i < 70; ++i)
        packets.push_back(segment(a, i * 900, 900));
    Coalescer c;
    auto out = run(c, packets);
    REQUIRE(out.size() == 2);
    CHECK(payload_of(out[0]) == 64 * 900); // 57,652 bytes: 64 segments come first
    CHECK(payload_of(out[1]) == 6 * 900);
    for (auto& w : out)
        check_checksums(w);

    packets.clear();
    for (std::size_t i = 0; i < 60; ++i)
        packets.push_back(segment(a, i * MSS, MSS));
    out = run(c, packets);
    REQUIRE(out.size() == 2);
    CHECK(out[0].packet.size() <= 65535);
    CHECK(payload_of(out[0]) == 47 * MSS); // 52 + 47 * 1380 = 64,912; one more is too many
    CHECK(payload_of(out[1]) == 13 * MSS);

    Coalescer small(CoalesceOptions{.max_size = 52 + 3 * MSS, .max_segments = 2});
    packets.clear(); // the heads above were rewritten: build fresh segments
    for (std::size_t i = 0; i < 5; ++i)
        packets.push_back(segment(a, i * MSS, MSS));
    out = run(small, packets);
    REQUIRE(out.size() == 3);
    CHECK(payload_of(out[0]) == 2 * MSS);
}

TEST_CASE("coalescing: IPv4 options, fragments, other protocols and garbage pass unchanged") {
    auto a = flow(4);
    auto with_options = segment(a, MSS, MSS);
    with_options.insert(with_options.begin() + 20, {1, 1, 1, 0}); // NOP NOP NOP EOL
    with_options[0] = 0x46;
    testing::put16(with_options.data() + 2, std::uint16_t(with_options.size()));
    auto fragment = segment(a, 2 * MSS, MSS);
    fragment[6] |= 0x20;
    PacketBytes icmp{0x45, 0, 0,   28, 0, 0, 0x40, 0, 64, 1, 0, 0, 192, 0,
                     2,    1, 192, 0,  2, 2, 8,    0, 0,  0, 0, 0, 0,   0};
    PacketBytes garbage{0x99, 1, 2};
    PacketBytes empty;
    PacketBytes truncated = segment(a, 3 * MSS, MSS);
    truncated.resize(30);
    std::vector<PacketBytes> packets{
        segment(a, 0, MSS), with_options, fragment, icmp, garbage, empty, truncated};
    const auto originals = packets;
    Coalescer c;
    auto out = run(c, packets);
    REQUIRE(out.size() == packets.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        CHECK(out[i].hdr == VirtioNetHdr{});
        CHECK(out[i].packet == originals[i]);
    }
}

TEST_CASE("coalescing: padding after the IP packet is not written inside a super-packet") {
    auto a = flow(4);
    std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, MSS, MSS)};
    for (auto& p : packets)
        p.resize(p.size() + 12, 0); // as a decrypted packet padded to 16 bytes
    Coalescer c;
    auto out = run(c, packets);
    REQUIRE(out.size() == 1);
    CHECK(out[0].packet.size() == 52 + 2 * MSS);
    check_checksums(out[0]);
}

TEST_CASE("coalescing: finish() is stable, clear() and add() after finish() start a new batch") {
    auto a = flow(4);
    std::vector<PacketBytes> packets{segment(a, 0, MSS), segment(a, MSS, MSS)};
    Coalescer c;
    for (auto& p : packets)
        c.add(p);
    auto first = c.finish();
    REQUIRE(first.size() == 1);
    auto first_bytes = concat(first[0]);
    auto again = c.finish();
    REQUIRE(again.size() == 1);
    CHECK(concat(again[0]).packet == first_bytes.packet);

    // add() after finish() without clear(): a new batch, the previous one is forgotten.
    std::vector<PacketBytes> next{segment(a, 2 * MSS, MSS), segment(a, 3 * MSS, MSS)};
    for (auto& p : next)
        c.add(p);
    auto second = c.finish();
    REQUIRE(second.size() == 1);
    CHECK(get32(concat(second[0]).packet.data() + 24) == a.seq + 2 * MSS);

    c.clear();
    CHECK(c.finish().empty());

    Coalescer moved = std::move(c);
    for (auto& p : next)
        moved.add(p);
    CHECK(moved.finish().size() == 2); // the heads were rewritten above: no longer a flow
}

TEST_CASE("coalescing: a batch of many flows (flow table growth) keeps every flow intact") {
    std::vector<PacketBytes> packets;
    for (std::size_t round = 0; round < 3; ++round)
        for (std::uint16_t f = 0; f < 300; ++f)
            packets.push_back(
                segment(flow(f % 2 ? 6 : 4, std::uint16_t(1000 + f)), round * 700, 700));
    Coalescer c;
    for (int batch = 0; batch < 3; ++batch) {
        auto copy = packets;
        auto out = run(c, copy);
        REQUIRE(out.size() == 300);
        for (std::size_t f = 0; f < 300; ++f) {
            CHECK(get16(out[f].packet.data() + (f % 2 ? 40 : 20)) == 1000 + f);
            CHECK(payload_of(out[f]) == 3 * 700);
            check_checksums(out[f]);
        }
    }
}
