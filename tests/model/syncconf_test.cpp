#include <doctest/doctest.h>

#include <array>
#include <string>

#include "model/syncconf.hpp"

using namespace wgx;
using namespace wgx::model;

namespace {

Key key(char c) {
    return *Key::from_hex(std::string(64, c));
}

Peer peer(char c, std::initializer_list<const char*> ips) {
    Peer p;
    p.public_key = key(c);
    p.replace_allowed_ips = true;
    for (auto ip : ips)
        p.allowed_ips.push_back({*IpPrefix::parse(ip), false});
    return p;
}

/// A running device: what a get returns (masked prefixes, counters, zero keepalive).
Device running() {
    Device d;
    d.name = "wg0";
    d.private_key = key('1');
    d.listen_port = 51820;
    d.fwmark = 0;
    auto a = peer('a', {"10.0.0.0/24", "fd00::/64"});
    a.replace_allowed_ips = false;
    a.endpoint = Endpoint::parse("192.0.2.1:51820");
    a.persistent_keepalive = 25;
    a.preshared_key = key('f');
    a.rx_bytes = 100;
    auto b = peer('b', {"10.0.1.0/24"});
    b.replace_allowed_ips = false;
    b.persistent_keepalive = 0;
    d.peers = {a, b};
    return d;
}

/// The same configuration as a file gives it.
Device file() {
    Device d;
    d.name = "wg0";
    d.private_key = key('1');
    d.listen_port = 51820;
    auto a = peer('a', {"fd00::1/64", "10.0.0.0/24"}); // same set, other order, host bits
    a.endpoint = Endpoint::parse("192.0.2.1:51820");
    a.persistent_keepalive = 25;
    a.preshared_key = key('f');
    d.peers = {a, peer('b', {"10.0.1.0/24"})};
    return d;
}

} // namespace

TEST_CASE("identical configuration: empty update, sessions untouched") {
    auto u = syncconf_diff(running(), file());
    CHECK(is_empty_update(u));
    CHECK(u.name == "wg0");
}

TEST_CASE("absent peers removed, new peers added whole, changed fields only") {
    auto want = file();
    want.listen_port = 51821;
    want.peers[0].persistent_keepalive.reset(); // omitted in the file
    want.peers[0].preshared_key.reset();
    want.peers.erase(want.peers.begin() + 1); // b gone
    want.peers.push_back(peer('c', {"198.51.100.0/24"}));
    auto u = syncconf_diff(running(), want);
    CHECK_FALSE(u.private_key);
    CHECK(u.listen_port == 51821);
    CHECK_FALSE(u.fwmark);
    CHECK_FALSE(u.replace_peers);
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].public_key == key('b'));
    CHECK(u.peers[0].remove);
    // wg 1.0.20210914 leaves an omitted preshared key and keepalive alone: a is unchanged.
    CHECK(u.peers[1].public_key == key('c'));
    CHECK(u.peers[1].replace_allowed_ips);
    CHECK(u.peers[1].allowed_ips.size() == 1);

    // Newer wg clears them.
    auto n = syncconf_diff(running(), want, SyncOptions{true});
    REQUIRE(n.peers.size() == 3);
    const auto& a = n.peers[1];
    CHECK(a.public_key == key('a'));
    CHECK(a.persistent_keepalive == 0);
    CHECK(a.preshared_key->is_zero());
    CHECK_FALSE(a.endpoint);            // unchanged
    CHECK_FALSE(a.replace_allowed_ips); // same set
    CHECK(a.allowed_ips.empty());
}

TEST_CASE("allowed IPs replaced only where the set changed, endpoint change") {
    auto want = file();
    want.peers[1].allowed_ips.push_back({*IpPrefix::parse("10.0.2.0/24"), false});
    want.peers[0].endpoint = Endpoint::parse("[fd00::9]:1");
    auto u = syncconf_diff(running(), want);
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].endpoint->to_string() == "[fd00::9]:1");
    CHECK_FALSE(u.peers[0].replace_allowed_ips);
    CHECK(u.peers[1].replace_allowed_ips);
    CHECK(u.peers[1].allowed_ips.size() == 2);
}

TEST_CASE("a file with no peers removes every peer, private key change") {
    Device want;
    want.private_key = key('2');
    auto u = syncconf_diff(running(), want);
    CHECK(u.private_key == key('2'));
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].remove);
    CHECK(u.peers[1].remove);
}

TEST_CASE("a key named in two sections is merged as wg would apply it") {
    auto want = file();
    auto again = peer('b', {"10.0.9.0/24"});
    want.peers.push_back(again);
    auto u = syncconf_diff(running(), want);
    REQUIRE(u.peers.size() == 1);
    CHECK(u.peers[0].public_key == key('b'));
    REQUIRE(u.peers[0].allowed_ips.size() == 1);
    CHECK(u.peers[0].allowed_ips[0].prefix.to_string() == "10.0.9.0/24");
}

TEST_CASE("a later section's preshared key and keepalive survive the merge") {
    auto want = file();
    auto first = peer('c', {"198.51.100.0/24"}); // new peer, psk/keepalive only in section 2
    auto second = peer('c', {"198.51.100.0/24"});
    second.preshared_key = key('e');
    second.persistent_keepalive = 15;
    want.peers.push_back(first);
    want.peers.push_back(second);
    // Running peer b: the first section omits the keepalive, the second sets it.
    auto b_again = peer('b', {"10.0.1.0/24"});
    b_again.persistent_keepalive = 7;
    want.peers.push_back(b_again);
    auto u = syncconf_diff(running(), want);
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].public_key == key('b'));
    CHECK(u.peers[0].persistent_keepalive == 7);
    CHECK_FALSE(u.peers[0].preshared_key);
    CHECK_FALSE(u.peers[0].replace_allowed_ips); // same set
    CHECK(u.peers[1].public_key == key('c'));
    CHECK(u.peers[1].preshared_key == key('e'));
    CHECK(u.peers[1].persistent_keepalive == 15);
}

TEST_CASE("thousands of peers in another order: only the differences") {
    auto k = [](unsigned i) {
        std::array<std::uint8_t, 32> b{};
        b[0] = static_cast<std::uint8_t>(i >> 8);
        b[1] = static_cast<std::uint8_t>(i);
        b[31] = 1; // never the zero key
        return Key(b);
    };
    auto ip = [](unsigned i) {
        return *IpPrefix::parse("10." + std::to_string(i >> 8) + "." + std::to_string(i & 255) +
                                ".0/24");
    };
    constexpr unsigned n = 4000;
    Device have, want;
    for (unsigned i = 0; i < n; ++i) {
        Peer p;
        p.public_key = k(i);
        p.allowed_ips.push_back({ip(i), false});
        have.peers.push_back(p);
    }
    for (unsigned i = n; i-- > 1;) { // reversed, peer 0 dropped
        Peer p;
        p.public_key = k(i);
        p.replace_allowed_ips = true;
        p.allowed_ips.push_back({ip(i == 7 ? 9999 : i), false}); // peer 7 moves
        want.peers.push_back(p);
    }
    auto u = syncconf_diff(have, want);
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].public_key == k(0));
    CHECK(u.peers[0].remove);
    CHECK(u.peers[1].public_key == k(7));
    CHECK(u.peers[1].replace_allowed_ips);
}

TEST_CASE("a prefix the file gives two peers ends with the later one, as wg's full apply") {
    auto want = file();
    // a also claims b's 10.0.1.0/24, but b comes later in the file and keeps it: a's list
    // must not carry it, or sending a alone would take it from b.
    want.peers[0].allowed_ips.push_back({*IpPrefix::parse("10.0.1.7/24"), false});
    auto u = syncconf_diff(running(), want);
    CHECK(is_empty_update(u));

    // b first, then a with the shared prefix: a takes it, b is left without it.
    auto swapped = want;
    std::swap(swapped.peers[0], swapped.peers[1]);
    auto v = syncconf_diff(running(), swapped);
    REQUIRE(v.peers.size() == 2);
    CHECK(v.peers[0].public_key == key('b'));
    CHECK(v.peers[0].replace_allowed_ips);
    CHECK(v.peers[0].allowed_ips.empty());
    CHECK(v.peers[1].public_key == key('a'));
    CHECK(v.peers[1].allowed_ips.size() == 3);
}
