#include <doctest/doctest.h>

#include <vector>

#include "engine/handshake_queue.hpp"

using namespace wgx;
using namespace wgx::engine;

TEST_CASE("handshake queue: first in, first out - bounded, the excess dropped and counted") {
    HandshakeQueue q;
    Endpoint from = *Endpoint::parse("192.0.2.1:51820");
    std::vector<std::uint8_t> msg(protocol::initiation::SIZE);
    for (std::size_t i = 0; i < HandshakeQueue::CAPACITY + 10; ++i) {
        msg[1] = std::uint8_t(i);
        msg[2] = std::uint8_t(i >> 8);
        q.push(msg, from, std::nullopt);
    }
    CHECK(q.size() == HandshakeQueue::CAPACITY);
    CHECK(q.dropped() == 10);
    for (std::size_t i = 0; i < HandshakeQueue::CAPACITY; ++i) {
        const auto* e = q.front();
        REQUIRE(e != nullptr);
        CHECK(e->size == protocol::initiation::SIZE);
        CHECK(e->message()[1] == std::uint8_t(i));
        CHECK(e->message()[2] == std::uint8_t(i >> 8));
        CHECK(e->from == from);
        q.pop();
    }
    CHECK(q.empty());
    CHECK(q.front() == nullptr);
}

TEST_CASE("handshake queue: a message larger than any handshake is refused") {
    HandshakeQueue q;
    std::vector<std::uint8_t> big(HandshakeQueue::MAX_MESSAGE + 1);
    CHECK_FALSE(q.push(big, *Endpoint::parse("192.0.2.1:1"), std::nullopt));
    CHECK(q.empty());
    CHECK(q.dropped() == 1);
}
