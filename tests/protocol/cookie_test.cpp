#include <doctest/doctest.h>

#include <algorithm>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/cookie.hpp"
#include "support/fake_random.hpp"

using namespace wgx;
using namespace wgx::protocol;
using namespace std::chrono_literals;

TEST_CASE("MAC1 needs the right public key, cookies expire and the secret rotates") {
    test::FakeRandom r(5);
    Key responder = crypto::public_key_of(crypto::generate_private_key(r));
    Key other = crypto::public_key_of(crypto::generate_private_key(r));
    CookieChecker checker;
    Bytes msg(initiation::SIZE, 0x5a);
    msg[0] = 1;
    msg[1] = msg[2] = msg[3] = 0;
    MonoTime t(100s);

    CHECK_FALSE(checker.check_mac1(msg)); // no key yet
    checker.set_public_key(responder);
    CookieMaker wrong;
    wrong.set_peer_public_key(other);
    wrong.add_macs(msg, t);
    CHECK_FALSE(checker.check_mac1(msg));
    CookieMaker maker;
    maker.set_peer_public_key(responder);
    maker.add_macs(msg, t);
    CHECK(checker.check_mac1(msg));
    Endpoint from = *Endpoint::parse("[fd00::5]:4000");
    CHECK_FALSE(checker.check_mac2(msg, from, t, r)); // MAC2 is zero without a cookie

    std::uint8_t reply[cookie_reply::SIZE];
    checker.create_reply(msg, 7, from, t, r, reply);
    CHECK(load_le32(reply + 4) == 7);
    // A reply to another MAC1 (not the last we sent) does not decrypt.
    CookieMaker stale;
    stale.set_peer_public_key(responder);
    Bytes other_msg = msg;
    other_msg[10] ^= 1;
    stale.add_macs(other_msg, t);
    CHECK_FALSE(stale.consume_reply(reply, t));
    REQUIRE(maker.consume_reply(reply, t));
    CHECK(maker.has_fresh_cookie(t));
    maker.add_macs(msg, t + 10s);
    CHECK(checker.check_mac2(msg, from, t + 10s, r));
    // The responder's secret is replaced after 120 s: the old cookie no longer works.
    CHECK_FALSE(checker.check_mac2(msg, from, t + 121s, r));
    // The initiator stops using a cookie after 115 s.
    CHECK_FALSE(maker.has_fresh_cookie(t + 116s));
    maker.add_macs(msg, t + 116s);
    CHECK(std::all_of(msg.end() - 16, msg.end(), [](std::uint8_t b) { return b == 0; }));
}
