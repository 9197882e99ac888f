#include <doctest/doctest.h>

#include "protocol/keypair.hpp"
#include "protocol/messages.hpp"

using namespace wgx;
using namespace wgx::protocol;

TEST_CASE("message type checks length, type and reserved bytes") {
    Bytes m(initiation::SIZE, 0);
    m[0] = 1;
    CHECK(message_type(m) == MESSAGE_HANDSHAKE_INITIATION);
    m[2] = 1;
    CHECK(message_type(m) == 0);
    m[2] = 0;
    m.push_back(0);
    CHECK(message_type(m) == 0);
    Bytes r(response::SIZE, 0);
    r[0] = 2;
    CHECK(message_type(r) == MESSAGE_HANDSHAKE_RESPONSE);
    Bytes c(cookie_reply::SIZE, 0);
    c[0] = 3;
    CHECK(message_type(c) == MESSAGE_HANDSHAKE_COOKIE);
    Bytes d(transport::MIN_SIZE, 0);
    d[0] = 4;
    CHECK(message_type(d) == MESSAGE_TRANSPORT_DATA);
    d.pop_back();
    CHECK(message_type(d) == 0);
    Bytes e(100, 0);
    e[0] = 5;
    CHECK(message_type(e) == 0);
    CHECK(message_type({}) == 0);
}

TEST_CASE("constants are the whitepaper's") {
    CHECK(MAX_TIMER_HANDSHAKES == 18);
    CHECK(REJECT_AFTER_MESSAGES == ~0ULL - 8128 - 1);
    CHECK(REKEY_AFTER_MESSAGES == 1ULL << 60);
    CHECK(std::chrono::nanoseconds(MIN_INITIATION_INTERVAL).count() == 20'000'000);
}

TEST_CASE("padding: a multiple of 16, never beyond the MTU") {
    CHECK(padded_length(0, 1420) == 0);
    CHECK(padded_length(1, 1420) == 16);
    CHECK(padded_length(16, 1420) == 16);
    CHECK(padded_length(17, 1420) == 32);
    CHECK(padded_length(1415, 1420) == 1420);
    CHECK(padded_length(1420, 1420) == 1420);
    CHECK(padded_length(1421, 1420) == 1421 + 15);
    CHECK(padded_length(100, 0) == 112);
}
