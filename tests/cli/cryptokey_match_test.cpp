#include <doctest/doctest.h>

#include "cli/cryptokey_match.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {
const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

model::Peer peer(const char* key, std::initializer_list<const char*> prefixes) {
    model::Peer p;
    p.public_key = *model::Key::from_base64(key);
    for (const char* s : prefixes)
        p.allowed_ips.push_back({*IpPrefix::parse(s), false});
    return p;
}
} // namespace

TEST_CASE("the longest prefix wins, and the shorter ones that contain the address are shadowed") {
    model::Device d;
    d.peers = {peer(PEER_A, {"0.0.0.0/0", "fd00::/8"}), peer(PEER_B, {"203.0.113.0/24"})};
    auto m = match_cryptokey(d, *IpAddress::parse("203.0.113.5"));
    REQUIRE(m.chosen);
    CHECK(m.chosen->peer == &d.peers[1]);
    CHECK(m.chosen->prefix == *IpPrefix::parse("203.0.113.0/24"));
    REQUIRE(m.shadowed.size() == 1);
    CHECK(m.shadowed[0].peer == &d.peers[0]);

    auto other = match_cryptokey(d, *IpAddress::parse("192.0.2.1"));
    REQUIRE(other.chosen);
    CHECK(other.chosen->peer == &d.peers[0]);
    CHECK(other.shadowed.empty());

    CHECK_FALSE(match_cryptokey(d, *IpAddress::parse("2001:db8::1")).chosen);
    CHECK(match_cryptokey(d, *IpAddress::parse("fd00::1")).chosen->peer == &d.peers[0]);
}

TEST_CASE("a peer is labelled by its name, else its key") {
    NamedDevice nd;
    nd.device.peers = {peer(PEER_A, {}), peer(PEER_B, {})};
    nd.names = {{PEER_B, "laptop"}};
    CHECK(peer_label(nd, nd.device.peers[0]) == PEER_A);
    CHECK(peer_label(nd, nd.device.peers[1]) == "laptop");
}
