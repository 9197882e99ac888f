#include <doctest/doctest.h>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/keypair.hpp"
#include "support/fake_random.hpp"

using namespace wgx;
using namespace wgx::protocol;
using namespace std::chrono_literals;

namespace {
SessionKeys keys(bool initiator, std::uint32_t local) {
    test::FakeRandom r(local);
    SessionKeys k;
    k.send = crypto::generate_preshared_key(r);
    k.receive = crypto::generate_preshared_key(r);
    k.initiator = initiator;
    k.local_index = local;
    k.remote_index = local + 1000;
    return k;
}
} // namespace

TEST_CASE("keypair limits: REJECT_AFTER_TIME and REJECT_AFTER_MESSAGES") {
    MonoTime t(50s);
    Keypair kp(keys(true, 1), t);
    CHECK(kp.can_send(t));
    CHECK(kp.can_send(t + REJECT_AFTER_TIME - 1ns));
    CHECK_FALSE(kp.can_send(t + REJECT_AFTER_TIME));
    CHECK_FALSE(kp.can_receive(t + REJECT_AFTER_TIME));
    kp.send_counter = REJECT_AFTER_MESSAGES - 1;
    CHECK(kp.can_send(t));
    kp.send_counter = REJECT_AFTER_MESSAGES;
    CHECK_FALSE(kp.can_send(t));
    REQUIRE(kp.replay.accept(REJECT_AFTER_MESSAGES - 1));
    CHECK_FALSE(kp.can_receive(t));
}

TEST_CASE("keypair rotation: responder's next waits for confirmation") {
    MonoTime t(50s);
    Keypairs k;
    std::uint32_t dropped[3];
    k.add(std::make_unique<Keypair>(keys(true, 1), t), dropped);
    CHECK(k.current->local_index == 1);
    k.add(std::make_unique<Keypair>(keys(true, 2), t), dropped);
    CHECK(k.current->local_index == 2);
    CHECK(k.previous->local_index == 1);
    // As responder: the new keypair waits in next, previous is dropped.
    k.add(std::make_unique<Keypair>(keys(false, 3), t), dropped);
    CHECK(dropped[1] == 1);
    CHECK(k.current->local_index == 2);
    CHECK(k.next->local_index == 3);
    CHECK_FALSE(k.previous);
    std::uint32_t d = 0;
    CHECK_FALSE(k.received_with(k.current.get(), d));
    CHECK(k.received_with(k.next.get(), d));
    CHECK(k.current->local_index == 3);
    CHECK(k.previous->local_index == 2);
    CHECK_FALSE(k.next);
    CHECK(k.find(2) == k.previous.get());
    CHECK(k.find(9) == nullptr);
    // An initiator's keypair arriving while a next is pending: next becomes previous.
    k.add(std::make_unique<Keypair>(keys(false, 4), t), dropped);
    k.add(std::make_unique<Keypair>(keys(true, 5), t), dropped);
    CHECK(k.current->local_index == 5);
    CHECK(k.previous->local_index == 4);
    CHECK_FALSE(k.next);
    k.clear(dropped);
    CHECK(dropped[0] == 5);
    CHECK(dropped[1] == 4);
    CHECK_FALSE(k.current);
}
