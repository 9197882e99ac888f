// Session lifetime limits through whole Devices on the fake clock: the erasure of all key material
// 3 * REJECT_AFTER_TIME after the last handshake, REKEY_AFTER_MESSAGES, REJECT_AFTER_MESSAGES,
// and the initiator's last-minute rekey on receive.
#include <doctest/doctest.h>

#include "protocol/device.hpp"
#include "protocol/messages.hpp"
#include "support/device_pair.hpp"
#include "support/device_test_access.hpp"

using namespace wgx;
using namespace wgx::protocol;
using namespace std::chrono_literals;

namespace {

using Net = test::DevicePair;

/// The counters of the transport messages node `from` sent, in order.
std::vector<std::uint64_t> transport_counters(const Net& n, std::size_t from) {
    std::vector<std::uint64_t> out;
    for (const auto& s : n.link.log)
        if (s.from_node == from && s.type() == MESSAGE_TRANSPORT_DATA)
            out.push_back(load_le64(s.bytes.data() + transport::COUNTER));
    return out;
}

SessionState state_of(const Device& d, const Key& peer) {
    auto s = d.session_state(peer);
    REQUIRE(s);
    return *s;
}

} // namespace

TEST_CASE("session_state reports the keypair slots and a half-done handshake") {
    Net n;
    CHECK_FALSE(n.a.session_state(n.ka)); // not a peer
    CHECK(state_of(n.a, n.pb) == SessionState{});
    // The initiation is lost: a holds a half-done handshake and no keypair.
    n.link.set_filter([](test::MemoryLink::Sent&) { return false; });
    n.a_to_b();
    CHECK(state_of(n.a, n.pb) == SessionState{false, false, false, true});
    CHECK_FALSE(state_of(n.b, n.pa).holds_key_material());
    // The responder's keypair waits in `next` until the initiator's first data packet.
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        return s.type() != MESSAGE_TRANSPORT_DATA || s.from_node != n.na;
    });
    n.link.run_for(6s); // the retransmission gets through
    CHECK(state_of(n.a, n.pb) == SessionState{true, false, false, false});
    CHECK(state_of(n.b, n.pa) == SessionState{false, false, true, false});
    n.link.set_filter({});
    n.a_to_b();
    CHECK(state_of(n.b, n.pa) == SessionState{true, false, false, false});
}

TEST_CASE("all key material is erased 3 * REJECT_AFTER_TIME after the last handshake") {
    Net n;
    MonoTime t0 = n.clock.now().monotonic;
    n.a_to_b();
    REQUIRE(n.link.tun(n.nb).size() == 1);
    REQUIRE(state_of(n.a, n.pb).current_keypair);
    REQUIRE(state_of(n.b, n.pa).current_keypair);
    // Idle from here (b's passive keepalive at 10 s quiets a's new-handshake timer): the
    // keypairs expire at 180 s but stay in memory until the erasure.
    n.link.run_for(3 * REJECT_AFTER_TIME - 1s);
    CHECK(n.a.next_deadline() == t0 + 3 * REJECT_AFTER_TIME);
    CHECK(n.b.next_deadline() == t0 + 3 * REJECT_AFTER_TIME);
    CHECK(state_of(n.a, n.pb).holds_key_material());
    CHECK(state_of(n.b, n.pa).holds_key_material());
    std::size_t inits = n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION);
    CHECK(inits == 1);

    n.link.run_for(1s);
    CHECK(state_of(n.a, n.pb) == SessionState{});
    CHECK(state_of(n.b, n.pa) == SessionState{});
    CHECK(n.a.next_deadline() == MonoTime::max());
    CHECK(n.b.next_deadline() == MonoTime::max());
    // What the peer reports otherwise is kept, as the kernel keeps it.
    CHECK(n.a.peer(n.pb)->last_handshake.has_value());

    // A new packet starts a fresh handshake and gets through.
    Bytes p = n.a_to_b(80, 0x42);
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == inits + 1);
    REQUIRE(n.link.tun(n.nb).size() == 2);
    CHECK(n.link.tun(n.nb)[1] == p);
    CHECK(state_of(n.a, n.pb) == SessionState{true, false, false, false});
    CHECK(transport_counters(n, n.na).back() == 0); // a new keypair
}

TEST_CASE("each handshake moves the erasure 3 * REJECT_AFTER_TIME later") {
    Net n;
    MonoTime t0 = n.clock.now().monotonic;
    n.a_to_b();
    n.link.run_for(300s);
    n.a_to_b(); // the keypair expired at 180 s: a new handshake at 300 s
    REQUIRE(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 2);
    REQUIRE(n.link.tun(n.nb).size() == 2);
    n.link.run_for(3 * REJECT_AFTER_TIME - 1s);
    CHECK(n.clock.now().monotonic > t0 + 3 * REJECT_AFTER_TIME);
    CHECK(state_of(n.a, n.pb) == SessionState{true, true, false, false});
    CHECK(state_of(n.b, n.pa) == SessionState{true, true, false, false});
    n.link.run_for(1s);
    CHECK_FALSE(state_of(n.a, n.pb).holds_key_material());
    CHECK_FALSE(state_of(n.b, n.pa).holds_key_material());
}

TEST_CASE("after giving up, a half-done handshake is erased 3 * REJECT_AFTER_TIME later") {
    Net n;
    MonoTime t0 = n.clock.now().monotonic;
    std::vector<MonoTime> attempts;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        attempts.push_back(s.at);
        return false;
    });
    n.a_to_b();
    n.link.run_for(REKEY_ATTEMPT_TIME + 30s);
    REQUIRE(attempts.size() == MAX_TIMER_HANDSHAKES + 2);
    CHECK(state_of(n.a, n.pb) == SessionState{false, false, false, true});
    // Given up one retransmission timeout after the last attempt.
    MonoTime erase = n.a.next_deadline();
    CHECK(erase >= attempts.back() + REKEY_TIMEOUT + 3 * REJECT_AFTER_TIME);
    CHECK(erase <=
          attempts.back() + REKEY_TIMEOUT + REKEY_TIMEOUT_JITTER_MAX + 3 * REJECT_AFTER_TIME);
    n.link.run_for(erase - n.clock.now().monotonic - 1ms);
    CHECK(state_of(n.a, n.pb).handshake);
    n.link.run_for(1ms);
    CHECK(state_of(n.a, n.pb) == SessionState{});
    CHECK(n.a.next_deadline() == MonoTime::max());
    CHECK(attempts.size() == MAX_TIMER_HANDSHAKES + 2); // nothing sent meanwhile

    n.link.set_filter({});
    n.a_to_b();
    CHECK(n.link.tun(n.nb).size() == 1);
    CHECK(n.clock.now().monotonic > t0 + 3 * REJECT_AFTER_TIME + REKEY_ATTEMPT_TIME);
}

TEST_CASE("crossing REKEY_AFTER_MESSAGES starts a new handshake, on either side") {
    for (bool initiator : {true, false}) {
        CAPTURE(initiator);
        Net n;
        n.a_to_b(); // a is the initiator of this session
        // Past REKEY_TIMEOUT, so that the next initiation is not held back by the rate limit.
        n.link.run_for(REKEY_TIMEOUT + 1s);
        Device& sender = initiator ? n.a : n.b;
        const Key& receiver_key = initiator ? n.pb : n.pa;
        std::size_t node = initiator ? n.na : n.nb;
        auto send = [&] { return initiator ? n.a_to_b() : n.b_to_a(); };
        auto delivered = [&] { return n.link.tun(initiator ? n.nb : n.na).size(); };

        REQUIRE(DeviceTestAccess::set_send_counter(sender, receiver_key, REKEY_AFTER_MESSAGES - 1));
        std::size_t inits = n.link.count(node, MESSAGE_HANDSHAKE_INITIATION);
        std::size_t got = delivered();
        send(); // message number REKEY_AFTER_MESSAGES: not past the limit yet
        CHECK(transport_counters(n, node).back() == REKEY_AFTER_MESSAGES - 1);
        CHECK(n.link.count(node, MESSAGE_HANDSHAKE_INITIATION) == inits);
        CHECK(delivered() == got + 1);
        send(); // one past
        CHECK(n.link.count(node, MESSAGE_HANDSHAKE_INITIATION) == inits + 1);
        CHECK(delivered() == got + 2);
        // The new session is used from now on: its counters start again at zero.
        Bytes p = send();
        CHECK(delivered() == got + 3);
        CHECK(n.link.tun(initiator ? n.nb : n.na).back() == p);
        CHECK(transport_counters(n, node).back() < 2);
    }
}

TEST_CASE("nothing is sent at or past REJECT_AFTER_MESSAGES, it waits for a new session") {
    Net n;
    n.a_to_b();
    n.link.run_for(REKEY_TIMEOUT + 1s);
    bool handshakes_pass = false;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        return handshakes_pass || s.type() != MESSAGE_HANDSHAKE_INITIATION;
    });
    REQUIRE(DeviceTestAccess::set_send_counter(n.a, n.pb, REJECT_AFTER_MESSAGES - 2));
    n.a_to_b();
    n.a_to_b();
    REQUIRE(n.link.tun(n.nb).size() == 3);
    auto sent = transport_counters(n, n.na);
    CHECK(sent.back() == REJECT_AFTER_MESSAGES - 1);
    // Past the last usable counter the packet waits for a new session; the rekey (started when
    // REKEY_AFTER_MESSAGES was crossed) is being retried, and lost for now.
    Bytes held = n.a_to_b(60, 0x77);
    CHECK(transport_counters(n, n.na).size() == sent.size());
    CHECK(n.link.tun(n.nb).size() == 3);
    n.link.run_for(2 * REKEY_TIMEOUT);
    CHECK(n.link.tun(n.nb).size() == 3);
    for (auto c : transport_counters(n, n.na))
        CHECK(c < REJECT_AFTER_MESSAGES);

    handshakes_pass = true;
    n.link.run_for(REKEY_TIMEOUT + 1s);
    REQUIRE(n.link.tun(n.nb).size() == 4);
    CHECK(n.link.tun(n.nb).back() == held);
    for (auto c : transport_counters(n, n.na))
        CHECK(c < REJECT_AFTER_MESSAGES);
    CHECK(transport_counters(n, n.na).back() == 0); // the staged packet, first on the new keypair
}

TEST_CASE("the initiator rekeys on receive at REJECT_AFTER_TIME - KEEPALIVE - REKEY_TIMEOUT") {
    Net n;
    n.a_to_b(); // a initiates; from here on only b sends data
    constexpr auto last_minute = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;
    n.link.run_for(last_minute - 1s);
    n.b_to_a();
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 1);
    n.link.run_for(1s);
    // a has sent nothing since its first packet (b answered it with a keepalive at 10 s), so
    // only receiving can start this rekey.
    n.b_to_a();
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 2);
    CHECK(n.link.tun(n.na).size() == 2);
    // The responder never rekeys on time.
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_INITIATION) == 0);
}
