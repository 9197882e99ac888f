#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "engine/nested_tunnel.hpp"
#include "protocol/messages.hpp"

using namespace wgx;
using namespace wgx::engine;

namespace {

void put16(std::vector<std::uint8_t>& p, std::size_t at, std::size_t v) {
    p[at] = std::uint8_t(v >> 8);
    p[at + 1] = std::uint8_t(v);
}

/// A UDP payload that starts like a WireGuard message of `type` and is `size` bytes long.
std::vector<std::uint8_t> wireguard_payload(std::uint8_t type, std::size_t size) {
    std::vector<std::uint8_t> m(size, 0xab);
    m[0] = type;
    m[1] = m[2] = m[3] = 0;
    return m;
}

/// An IPv4 packet of `protocol` carrying a UDP header and `payload` (the UDP header is left out
/// of a non-first fragment, whose offset is `offset` 8-byte units).
std::vector<std::uint8_t> ipv4(const std::vector<std::uint8_t>& payload, std::uint8_t protocol = 17,
                               bool more_fragments = false, std::size_t offset = 0,
                               std::size_t cut = 0) {
    std::size_t udp_len = 8 + payload.size();
    std::vector<std::uint8_t> p(20 + (offset == 0 ? 8 : 0));
    p[0] = 0x45;
    p[8] = 64;
    p[9] = protocol;
    put16(p, 6, (more_fragments ? 0x2000 : 0) | offset);
    if (offset == 0)
        put16(p, 24, udp_len);
    p.insert(p.end(), payload.begin(), payload.end() - std::ptrdiff_t(cut));
    put16(p, 2, p.size());
    return p;
}

/// An IPv6 packet carrying UDP and `payload`, behind a fragment header when `fragment`.
std::vector<std::uint8_t> ipv6(const std::vector<std::uint8_t>& payload, bool fragment = false,
                               std::size_t offset = 0, std::size_t cut = 0) {
    std::vector<std::uint8_t> p(40);
    p[0] = 0x60;
    p[6] = fragment ? 44 : 17;
    p[7] = 64;
    if (fragment) {
        std::vector<std::uint8_t> f(8);
        f[0] = 17;
        put16(f, 2, (offset << 3) | 1);
        p.insert(p.end(), f.begin(), f.end());
    }
    if (offset == 0) {
        std::vector<std::uint8_t> udp(8);
        put16(udp, 4, 8 + payload.size());
        p.insert(p.end(), udp.begin(), udp.end());
    }
    p.insert(p.end(), payload.begin(), payload.end() - std::ptrdiff_t(cut));
    put16(p, 4, p.size() - 40);
    return p;
}

} // namespace

TEST_CASE("a WireGuard datagram inside the tunnel is recognised in both families") {
    for (std::size_t size : {32u, 48u, 1452u}) {
        CHECK(carries_wireguard(ipv4(wireguard_payload(4, size))));
        CHECK(carries_wireguard(ipv6(wireguard_payload(4, size))));
    }
    CHECK(carries_wireguard(ipv4(wireguard_payload(1, protocol::initiation::SIZE))));
    CHECK(carries_wireguard(ipv6(wireguard_payload(2, protocol::response::SIZE))));
    CHECK(carries_wireguard(ipv4(wireguard_payload(3, protocol::cookie_reply::SIZE))));
}

TEST_CASE("the first fragment of a WireGuard datagram is recognised, later ones cannot be") {
    auto m = wireguard_payload(4, 1500);
    CHECK(carries_wireguard(ipv4(m, 17, true, 0, 200)));
    CHECK_FALSE(carries_wireguard(
        ipv4(std::vector<std::uint8_t>(m.begin(), m.begin() + 200), 17, false, 160)));
    CHECK(carries_wireguard(ipv6(m, true, 0, 200)));
    CHECK_FALSE(
        carries_wireguard(ipv6(std::vector<std::uint8_t>(m.begin(), m.begin() + 200), true, 160)));
}

TEST_CASE("other traffic is not taken for a tunnel in the tunnel") {
    // Ordinary UDP (a DNS query), ICMP, wrong sizes, nonzero reserved bytes, truncation.
    std::vector<std::uint8_t> dns = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    CHECK_FALSE(carries_wireguard(ipv4(dns)));
    CHECK_FALSE(carries_wireguard(ipv6(dns)));
    CHECK_FALSE(carries_wireguard(ipv4(wireguard_payload(4, 64), 1)));
    CHECK_FALSE(carries_wireguard(ipv4(wireguard_payload(4, 31))));  // shorter than a tag
    CHECK_FALSE(carries_wireguard(ipv4(wireguard_payload(1, 149)))); // initiation is 148
    CHECK_FALSE(carries_wireguard(ipv6(wireguard_payload(5, 64))));  // no such type
    auto reserved = wireguard_payload(4, 64);
    reserved[2] = 1;
    CHECK_FALSE(carries_wireguard(ipv4(reserved)));
    auto whole = ipv4(wireguard_payload(4, 64));
    CHECK_FALSE(carries_wireguard(ByteView(whole.data(), 30)));
    CHECK_FALSE(carries_wireguard(ByteView{}));
}

TEST_CASE("an unsealed transport datagram is judged by its plaintext, a sealed one never") {
    auto inner = ipv6(wireguard_payload(4, 96));
    protocol::Output::Datagram d;
    d.bytes.assign(protocol::transport::HEADER_SIZE, 0);
    d.bytes.insert(d.bytes.end(), inner.begin(), inner.end());
    d.bytes.resize(d.bytes.size() + (16 - inner.size() % 16) % 16 + protocol::TAG_SIZE, 0);
    CHECK_FALSE(carries_wireguard(d)); // sealed: the bytes are ciphertext
    crypto::ChaChaPolyContext ctx{protocol::Key{}};
    d.unsealed = &ctx;
    CHECK(carries_wireguard(d));
    auto ping = ipv4(std::vector<std::uint8_t>(56), 1);
    std::copy(ping.begin(), ping.end(), d.bytes.begin() + protocol::transport::HEADER_SIZE);
    CHECK_FALSE(carries_wireguard(d));
}
