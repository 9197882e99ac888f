#include <doctest/doctest.h>

#include "packet/ip_header.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;

TEST_CASE("ip_header: TCP and UDP over IPv4 and IPv6") {
    testing::PacketSpec spec;
    spec.tcp_options = testing::timestamps_option(5, 6);
    auto p = testing::craft_packet(spec, testing::pattern_payload(100));
    auto l = parse_ip_packet(p);
    REQUIRE(l);
    CHECK(l->ip_version == 4);
    CHECK(l->is_tcp());
    CHECK(l->ip_header_len == 20);
    CHECK(l->l4_header_len == 32);
    CHECK(l->length == p.size());
    CHECK(l->payload_len() == 100);

    spec.version = 6;
    spec.protocol = IP_PROTO_UDP;
    p = testing::craft_packet(spec, testing::pattern_payload(7));
    l = parse_ip_packet(p);
    REQUIRE(l);
    CHECK(l->ip_version == 6);
    CHECK(l->is_udp());
    CHECK(l->header_len() == 48);
    CHECK(l->payload_len() == 7);
}

TEST_CASE("ip_header: bytes after the IP length are padding, not payload") {
    auto p = testing::craft_packet({}, testing::pattern_payload(10));
    const auto length = p.size();
    p.resize(p.size() + 6, 0);
    auto l = parse_ip_packet(p);
    REQUIRE(l);
    CHECK(l->length == length);
    CHECK(l->payload_len() == 10);
}

TEST_CASE("ip_header: every truncation of a valid packet is refused") {
    for (int version : {4, 6}) {
        testing::PacketSpec spec;
        spec.version = version;
        auto p = testing::craft_packet(spec, testing::pattern_payload(3));
        for (std::size_t n = 0; n < p.size(); ++n)
            CHECK_FALSE(parse_ip_packet(ByteView(p).first(n)));
    }
}

TEST_CASE("ip_header: contradictory lengths are refused") {
    auto good = testing::craft_packet({}, testing::pattern_payload(30));
    auto p = good;
    p[0] = 0x44; // IHL 4 < 5
    CHECK_FALSE(parse_ip_packet(p));
    p = good;
    p[0] = 0x4f; // IHL 15: 60 bytes, past the TCP header
    CHECK_FALSE(parse_ip_packet(p));
    p = good;
    p[3] = 10; // total length below the IP header
    CHECK_FALSE(parse_ip_packet(p));
    p = good;
    p[20 + 12] = 0x40; // TCP data offset 4
    CHECK_FALSE(parse_ip_packet(p));
    p = good;
    p[20 + 12] = 0xf0; // TCP data offset 15: 60 bytes, past the packet
    CHECK_FALSE(parse_ip_packet(p));
    p = good;
    p[0] = 0x55; // IP version 5
    CHECK_FALSE(parse_ip_packet(p));
}

TEST_CASE("ip_header: fragments and other protocols carry no transport header") {
    testing::PacketSpec spec;
    auto p = testing::craft_packet(spec, testing::pattern_payload(30));
    p[6] = 0x20; // MF
    auto l = parse_ip_packet(p);
    REQUIRE(l);
    CHECK(l->fragment);
    CHECK_FALSE(l->is_tcp());

    spec.version = 6;
    p = testing::craft_packet(spec, testing::pattern_payload(30));
    p[6] = 0; // hop-by-hop options header: not walked
    l = parse_ip_packet(p);
    REQUIRE(l);
    CHECK_FALSE(l->is_tcp());
    CHECK(l->l4_header_len == 0);
}
