#include <doctest/doctest.h>

#include <algorithm>
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

TEST_CASE("handshake queue: a message with a MAC2 is not dropped behind a full queue of those "
          "without, and is answered first") {
    HandshakeQueue q;
    Endpoint flood = *Endpoint::parse("192.0.2.9:1000");
    Endpoint peer = *Endpoint::parse("198.51.100.3:51820");
    std::vector<std::uint8_t> plain(protocol::initiation::SIZE, 0x11);
    std::fill(plain.end() - protocol::MAC_SIZE, plain.end(), 0); // no cookie: MAC2 all zeros
    for (std::size_t i = 0; i < HandshakeQueue::CAPACITY; ++i)
        CHECK(q.push(plain, flood, std::nullopt));
    CHECK_FALSE(q.push(plain, flood, std::nullopt));
    CHECK(q.dropped() == 1);

    std::vector<std::uint8_t> with_mac2 = plain;
    with_mac2.back() = 0x01; // a single non-zero byte of MAC2 counts
    CHECK(q.push(with_mac2, peer, std::nullopt));
    std::vector<std::uint8_t> response(protocol::response::SIZE, 0x22);
    response[protocol::response::MAC2] = 0x5a;
    CHECK(q.push(response, peer, std::nullopt));
    CHECK(q.size() == HandshakeQueue::CAPACITY + 2);

    REQUIRE(q.front() != nullptr);
    CHECK(q.front()->from == peer);
    CHECK(q.front()->size == protocol::initiation::SIZE);
    q.pop();
    CHECK(q.front()->from == peer);
    CHECK(q.front()->size == protocol::response::SIZE);
    q.pop();
    CHECK(q.front()->from == flood);
    CHECK(q.size() == HandshakeQueue::CAPACITY);
}

TEST_CASE("handshake queue: the MAC2 lane is bounded too") {
    HandshakeQueue q;
    Endpoint from = *Endpoint::parse("192.0.2.1:1");
    std::vector<std::uint8_t> msg(protocol::initiation::SIZE, 0xff);
    for (std::size_t i = 0; i < HandshakeQueue::MAC2_CAPACITY; ++i)
        CHECK(q.push(msg, from, std::nullopt));
    CHECK_FALSE(q.push(msg, from, std::nullopt));
    CHECK(q.dropped() == 1);
    CHECK(q.size() == HandshakeQueue::MAC2_CAPACITY);
    std::fill(msg.end() - protocol::MAC_SIZE, msg.end(), 0);
    CHECK(q.push(msg, from, std::nullopt)); // the other lane still has room
}
