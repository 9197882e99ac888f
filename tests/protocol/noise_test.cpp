// The handshake against bytes computed independently by handshake_vectors.py.
#include <doctest/doctest.h>

#include "crypto/aead.hpp"
#include "protocol/cookie.hpp"
#include "protocol/keypair.hpp"
#include "protocol/messages.hpp"
#include "protocol/noise.hpp"
#include "support/fake_clock.hpp"
#include "support/scripted_random.hpp"

namespace {
#include "protocol/handshake_vectors.inc"
}

using namespace wgx;
using namespace wgx::protocol;
using wgx::test::from_hex;
using wgx::test::to_hex;

namespace {

Key key_of(const char* hex) {
    return *Key::from_hex(hex);
}

WallTime vector_wall() {
    return WallTime(std::chrono::seconds(WALL_SECONDS)) +
           std::chrono::duration_cast<WallClock::duration>(std::chrono::nanoseconds(WALL_NANOS));
}

struct Pair {
    StaticIdentity initiator, responder;
    Handshake hi, hr;
    test::ScriptedRandom random;
    MonoTime mono = MonoTime(std::chrono::hours(5));

    explicit Pair(bool with_psk = true, bool responder_psk = true) {
        initiator.set(key_of(INITIATOR_STATIC_PRIVATE));
        responder.set(key_of(RESPONDER_STATIC_PRIVATE));
        hi.remote_static = responder.public_key;
        hr.remote_static = initiator.public_key;
        if (with_psk)
            hi.preshared_key = key_of(PRESHARED_KEY);
        if (responder_psk)
            hr.preshared_key = key_of(PRESHARED_KEY);
        hi.precompute(initiator);
        hr.precompute(responder);
    }
};

} // namespace

TEST_CASE("handshake initiation and response match the independent vectors") {
    Pair t;
    CHECK(t.initiator.public_key.to_hex() == EXPECTED_INITIATOR_PUBLIC);
    CHECK(t.responder.public_key.to_hex() == EXPECTED_RESPONDER_PUBLIC);

    std::uint8_t init[initiation::SIZE];
    t.random.script(from_hex(INITIATOR_EPHEMERAL_PRIVATE));
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), INITIATOR_INDEX, init));
    CookieMaker to_responder;
    to_responder.set_peer_public_key(t.responder.public_key);
    to_responder.add_macs(init, t.mono);
    CHECK(to_hex(init) == EXPECTED_INITIATION);

    CookieChecker checker;
    checker.set_public_key(t.responder.public_key);
    CHECK(checker.check_mac1(init));

    InitiationInProgress st;
    REQUIRE(consume_initiation_start(t.responder, init, st));
    CHECK(st.remote_static == t.initiator.public_key);
    CHECK(st.sender_index == INITIATOR_INDEX);
    REQUIRE(consume_initiation_finish(t.hr, st, init, t.mono));

    std::uint8_t resp[response::SIZE];
    t.random.script(from_hex(RESPONDER_EPHEMERAL_PRIVATE));
    REQUIRE(create_response(t.hr, t.random, RESPONDER_INDEX, resp));
    CookieMaker to_initiator;
    to_initiator.set_peer_public_key(t.initiator.public_key);
    to_initiator.add_macs(resp, t.mono);
    CHECK(to_hex(resp) == EXPECTED_RESPONSE);
    CHECK(t.random.overrun() == 0);

    auto kr = begin_session(t.hr);
    REQUIRE(consume_response(t.hi, t.initiator, resp));
    auto ki = begin_session(t.hi);
    REQUIRE(kr);
    REQUIRE(ki);
    CHECK(ki->initiator);
    CHECK_FALSE(kr->initiator);
    CHECK(ki->send.to_hex() == EXPECTED_INITIATOR_SEND_KEY);
    CHECK(ki->receive.to_hex() == EXPECTED_INITIATOR_RECEIVE_KEY);
    CHECK(kr->send == ki->receive);
    CHECK(kr->receive == ki->send);
    CHECK(ki->local_index == INITIATOR_INDEX);
    CHECK(ki->remote_index == RESPONDER_INDEX);
    CHECK(kr->local_index == RESPONDER_INDEX);
    CHECK(kr->remote_index == INITIATOR_INDEX);
    // The handshakes are cleared once the session exists.
    CHECK(t.hi.state == HandshakeState::zeroed);
    CHECK(t.hr.state == HandshakeState::zeroed);

    // Transport messages under the derived keys.
    Keypair kpi(*ki, t.mono), kpr(*kr, t.mono);
    Bytes plain(TRANSPORT_PLAINTEXT_LEN);
    for (std::size_t i = 0; i < plain.size(); ++i)
        plain[i] = std::uint8_t(i);
    std::size_t padded = padded_length(plain.size(), 1420);
    CHECK(padded == 32);
    Bytes msg(transport_size(padded));
    seal_transport(kpi.sending.get(), kpi.remote_index, 0, plain, padded, msg.data());
    CHECK(to_hex(msg) == EXPECTED_TRANSPORT_DATA);
    Bytes opened(msg.size() - transport::MIN_SIZE);
    REQUIRE(open_transport(kpr.receiving, msg, opened.data()));
    CHECK(std::equal(plain.begin(), plain.end(), opened.begin()));

    Bytes keepalive(transport_size(0));
    seal_transport(kpr.sending.get(), kpr.remote_index, 0, {}, 0, keepalive.data());
    CHECK(to_hex(keepalive) == EXPECTED_RESPONDER_KEEPALIVE);
}

TEST_CASE("cookie reply and MAC2 match the independent vectors") {
    Pair t;
    std::uint8_t init[initiation::SIZE];
    t.random.script(from_hex(INITIATOR_EPHEMERAL_PRIVATE));
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), INITIATOR_INDEX, init));
    CookieMaker maker;
    maker.set_peer_public_key(t.responder.public_key);
    maker.add_macs(init, t.mono);

    CookieChecker checker;
    checker.set_public_key(t.responder.public_key);
    auto from = *Endpoint::parse("192.0.2.1:" + std::to_string(COOKIE_SOURCE_PORT));
    std::uint8_t reply[cookie_reply::SIZE];
    // create_reply draws the nonce first, then the (first) cookie secret.
    t.random.script(from_hex(COOKIE_NONCE));
    t.random.script(from_hex(COOKIE_SECRET));
    checker.create_reply(init, INITIATOR_INDEX, from, t.mono, t.random, reply);
    CHECK(t.random.overrun() == 0);
    CHECK(to_hex(reply) == EXPECTED_COOKIE_REPLY);

    REQUIRE(maker.consume_reply(reply, t.mono));
    CHECK_FALSE(maker.consume_reply(reply, t.mono)); // only once per MAC1 sent
    maker.add_macs(init, t.mono);
    CHECK(to_hex(ByteView(init + initiation::MAC2, MAC_SIZE)) == EXPECTED_INITIATION_MAC2);
    CHECK(checker.check_mac2(init, from, t.mono, t.random));
    // Bound to the source address and port.
    CHECK_FALSE(checker.check_mac2(init, *Endpoint::parse("192.0.2.1:51821"), t.mono, t.random));
    CHECK_FALSE(checker.check_mac2(init, *Endpoint::parse("192.0.2.2:51820"), t.mono, t.random));
}

TEST_CASE("psk mismatch fails the response, psk match succeeds") {
    for (bool responder_psk : {true, false}) {
        Pair t(true, responder_psk);
        std::uint8_t init[initiation::SIZE], resp[response::SIZE];
        REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), 1, init));
        InitiationInProgress st;
        REQUIRE(consume_initiation_start(t.responder, init, st));
        // The psk enters only in the response, so the initiation is accepted either way.
        REQUIRE(consume_initiation_finish(t.hr, st, init, t.mono));
        REQUIRE(create_response(t.hr, t.random, 2, resp));
        CHECK(consume_response(t.hi, t.initiator, resp) == responder_psk);
        CHECK(t.hi.state == (responder_psk ? HandshakeState::consumed_response
                                           : HandshakeState::created_initiation));
    }
}

TEST_CASE("initiation replay and flood are rejected, newer timestamps accepted") {
    Pair t;
    std::uint8_t init[initiation::SIZE];
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), 1, init));
    InitiationInProgress st;
    REQUIRE(consume_initiation_start(t.responder, init, st));
    REQUIRE(consume_initiation_finish(t.hr, st, init, t.mono));
    // The very same message a second later: same timestamp, a replay.
    InitiationInProgress st2;
    REQUIRE(consume_initiation_start(t.responder, init, st2));
    CHECK_FALSE(consume_initiation_finish(t.hr, st2, init, t.mono + std::chrono::seconds(1)));

    // A newer initiation 10 ms after the last accepted one is a flood; 30 ms is fine.
    std::uint8_t newer[initiation::SIZE];
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall() + std::chrono::seconds(1),
                              2, newer));
    InitiationInProgress st3;
    REQUIRE(consume_initiation_start(t.responder, newer, st3));
    InitiationInProgress st4 = st3;
    CHECK_FALSE(
        consume_initiation_finish(t.hr, st3, newer, t.mono + std::chrono::milliseconds(10)));
    CHECK(consume_initiation_finish(t.hr, st4, newer, t.mono + std::chrono::milliseconds(30)));

    // An older timestamp than the newest accepted one is rejected too.
    std::uint8_t older[initiation::SIZE];
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall() - std::chrono::seconds(5),
                              3, older));
    InitiationInProgress st5;
    REQUIRE(consume_initiation_start(t.responder, older, st5));
    CHECK_FALSE(consume_initiation_finish(t.hr, st5, older, t.mono + std::chrono::seconds(10)));
}

TEST_CASE("low-order public keys are rejected") {
    StaticIdentity me;
    me.set(key_of(INITIATOR_STATIC_PRIVATE));
    Handshake hs;
    hs.remote_static = Key(); // the all-zero point has order 4: DH gives zero
    hs.precompute(me);
    CHECK(hs.precomputed_static_static.is_zero());
    test::ScriptedRandom r;
    std::uint8_t init[initiation::SIZE];
    CHECK_FALSE(create_initiation(hs, me, r, vector_wall(), 1, init));
    CHECK(hs.state == HandshakeState::zeroed);

    // An initiation whose ephemeral is a low-order point fails at "es".
    Pair t;
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), 1, init));
    std::memset(init + initiation::EPHEMERAL, 0, 32);
    InitiationInProgress st;
    CHECK_FALSE(consume_initiation_start(t.responder, init, st));
}

TEST_CASE("no identity: nothing is created or consumed") {
    Pair t;
    StaticIdentity none;
    std::uint8_t init[initiation::SIZE];
    CHECK_FALSE(create_initiation(t.hi, none, t.random, vector_wall(), 1, init));
    REQUIRE(create_initiation(t.hi, t.initiator, t.random, vector_wall(), 1, init));
    InitiationInProgress st;
    CHECK_FALSE(consume_initiation_start(none, init, st));
}
