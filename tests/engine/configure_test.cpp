#include <doctest/doctest.h>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "engine/configure.hpp"
#include "support/device_pair.hpp"
#include "support/fake_random.hpp"
#include "uapi/server.hpp"

using namespace wgx;
using namespace wgx::engine;

namespace {
crypto::Key key_of(std::uint8_t seed) {
    std::array<std::uint8_t, 32> b{};
    b.fill(seed);
    return crypto::Key(b);
}
model::Peer peer(const crypto::Key& k) {
    model::Peer p;
    p.public_key = k;
    return p;
}
} // namespace

TEST_CASE("an update applies keys, peers and allowed IPs with the reference's semantics") {
    test::FakeRandom random(7);
    protocol::Device device(random);
    protocol::Output out;
    Now now{MonoTime{} + std::chrono::seconds(100), WallClock::now()};
    crypto::Key priv = key_of(1), a = key_of(2), b = key_of(3);

    model::Device u;
    u.private_key = priv;
    model::Peer pa = peer(a);
    pa.allowed_ips = {{*IpPrefix::parse("198.51.100.0/24"), false},
                      {*IpPrefix::parse("fd00::/64"), false}};
    pa.endpoint = Endpoint::parse("192.0.2.1:51820");
    u.peers.push_back(pa);
    model::Peer own = peer(crypto::public_key_of(priv)); // our own key: ignored
    u.peers.push_back(own);
    model::Peer only = peer(b); // update_only for an unknown peer: nothing created
    only.update_only = true;
    u.peers.push_back(only);
    apply_update(u, device, now, out);

    auto state = read_state(device, SocketSettings{51820, 0}, 0);
    REQUIRE(state.private_key);
    crypto::Key clamped = priv; // stored as the references store it
    crypto::clamp_private_key(clamped);
    CHECK(*state.private_key == clamped);
    CHECK(state.listen_port == std::optional<std::uint16_t>(51820));
    CHECK_FALSE(state.fwmark);
    REQUIRE(state.peers.size() == 1);
    CHECK(state.peers[0].public_key == a);
    CHECK(state.peers[0].allowed_ips.size() == 2);
    CHECK(state.peers[0].protocol_version == 1u);

    // remove one allowed IP, add a peer, then replace_peers with a fresh set.
    model::Device u2;
    model::Peer pa2 = peer(a);
    pa2.allowed_ips = {{*IpPrefix::parse("fd00::/64"), true}};
    u2.peers.push_back(pa2);
    u2.peers.push_back(peer(b));
    apply_update(u2, device, now, out);
    state = read_state(device, {}, 0);
    REQUIRE(state.peers.size() == 2);
    CHECK(state.peers[0].allowed_ips.size() == 1);
    CHECK_FALSE(state.listen_port);

    model::Device u3;
    u3.replace_peers = true;
    u3.peers.push_back(peer(b));
    model::Peer gone = peer(b);
    gone.remove = true;
    u3.peers.push_back(gone);
    u3.private_key = crypto::Key(); // zero: removes the key
    apply_update(u3, device, now, out);
    state = read_state(device, {}, 4242);
    CHECK(state.peers.empty());
    CHECK_FALSE(state.private_key);
    CHECK(state.listen_port == std::optional<std::uint16_t>(4242)); // the bound port wins
}

TEST_CASE("peer names in logs are wireguard-go's short form") {
    auto k = crypto::Key::from_base64("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=");
    REQUIRE(k);
    CHECK(peer_log_name(*k) == "peer(yAnz\u2026fBmk)");
}

TEST_CASE("wgx's counters request reports the dropped sources per peer, keyed by public key") {
    test::DevicePair n;
    n.a_to_b();
    // a claims a source b does not allow for it, twice.
    n.link.tun_send(n.na, test::ipv4_packet("203.0.113.9", "10.0.0.2", 10));
    n.link.tun_send(n.na, test::ipv4_packet("203.0.113.9", "10.0.0.2", 10));
    crypto::Key quiet = key_of(9);
    REQUIRE(n.b.add_peer(quiet));
    uapi::WgxCounters c = read_counters(n.b);
    CHECK(c.source_not_allowed == 2);
    REQUIRE(c.peers.size() == 2);
    for (const auto& p : c.peers)
        CHECK(p.source_not_allowed == (p.public_key == n.pa ? 2u : 0u));
    CHECK(read_counters(n.a).peers.at(0).source_not_allowed == 0);
    // The get reply stays wireguard-go's: no counters in it.
    auto reply = uapi::encode_get_reply(read_state(n.b, SocketSettings{}, 0));
    CHECK(reply.find("source_not_allowed") == SecretString::npos);
    CHECK(reply.find("rx_bytes=") != SecretString::npos);
}
