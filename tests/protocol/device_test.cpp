// Two Devices joined in memory on a virtual clock: handshakes, data, timers, cookies, roaming.
#include <doctest/doctest.h>

#include <thread>

#include "crypto/aead.hpp"
#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"
#include "protocol/messages.hpp"
#include "protocol/ratelimiter.hpp"
#include "support/device_pair.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_random.hpp"
#include "support/memory_link.hpp"

using namespace wgx;
using namespace wgx::protocol;
using namespace std::chrono_literals;
using test::ipv4_packet;

namespace {

using test::ep;
using test::pfx;
using Net = test::DevicePair;

/// Records every datagram that passes (or is dropped by) a filter.
struct Capture {
    std::vector<test::MemoryLink::Sent> seen;
};

} // namespace

TEST_CASE("two devices handshake and exchange data both ways") {
    Net n;
    Bytes p = n.a_to_b();
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 1);
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_RESPONSE) == 1);
    REQUIRE(n.link.tun(n.nb).size() == 1);
    CHECK(n.link.tun(n.nb)[0] == p);
    Bytes q = n.b_to_a(1000);
    REQUIRE(n.link.tun(n.na).size() == 1);
    CHECK(n.link.tun(n.na)[0] == q);
    // Padding: 120-byte packet -> 128 bytes of plaintext -> 160-byte datagram.
    CHECK(n.link.log.back().bytes.size() == 16 + 1024 + 16);

    auto ia = n.a.peer(n.pb), ib = n.b.peer(n.pa);
    REQUIRE(ia);
    REQUIRE(ib);
    CHECK(ia->last_handshake == n.clock.now().wall);
    CHECK(ib->last_handshake == n.clock.now().wall);
    CHECK(ia->tx_bytes == ib->rx_bytes);
    CHECK(ib->tx_bytes == ia->rx_bytes);
    CHECK(ia->tx_bytes == 148 + 16 + 128 + 16);
    CHECK(ia->allowed_ips == std::vector<IpPrefix>{pfx("10.0.0.2/32")});
}

TEST_CASE("preshared key: match works, mismatch never completes") {
    for (bool match : {true, false}) {
        Net n;
        Key psk = crypto::generate_preshared_key(n.keys);
        n.a.set_preshared_key(n.pb, psk);
        if (match)
            n.b.set_preshared_key(n.pa, psk);
        n.a_to_b();
        CHECK(n.link.tun(n.nb).size() == (match ? 1u : 0u));
        CHECK(n.a.peer(n.pb)->preshared_key.has_value());
        CHECK(n.b.peer(n.pa)->preshared_key.has_value() == match);
    }
}

TEST_CASE("rekey after 120 s of virtual time loses nothing") {
    Net n;
    std::size_t sent_a = 0, sent_b = 0;
    for (int s = 0; s < 400; ++s) {
        n.a_to_b(50, std::uint8_t(s));
        ++sent_a;
        if (s % 3 == 0) {
            n.b_to_a(60, std::uint8_t(s));
            ++sent_b;
        }
        n.link.run_for(1s);
    }
    CHECK(n.link.tun(n.nb).size() == sent_a);
    CHECK(n.link.tun(n.na).size() == sent_b);
    // About one handshake per REKEY_AFTER_TIME, started by either side.
    std::size_t inits = n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) +
                        n.link.count(n.nb, MESSAGE_HANDSHAKE_INITIATION);
    CHECK(inits >= 4);
    CHECK(inits <= 5);
}

TEST_CASE("keypairs expire after REJECT_AFTER_TIME") {
    Net n;
    n.a_to_b();
    REQUIRE(n.link.tun(n.nb).size() == 1);
    // From now on no handshake gets through, and one data packet is held back.
    std::optional<Bytes> held;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        if (s.type() == MESSAGE_TRANSPORT_DATA && s.from_node == n.na && !held &&
            n.clock.now().monotonic > MonoTime(std::chrono::hours(1000)) + 100s) {
            held = s.bytes;
            return false;
        }
        return s.type() == MESSAGE_TRANSPORT_DATA;
    });
    for (int s = 0; s < 200; ++s) {
        n.link.run_for(1s);
        n.a_to_b(10);
    }
    // Sent at t = 1..200 s; those from 180 s on wait for a handshake that never completes.
    CHECK(n.link.tun(n.nb).size() == 1 + 179 - 1);
    REQUIRE(held);
    auto rejected = n.b.counters().transport_rejected;
    n.b.on_datagram(*held, n.link.address(n.na), n.clock.now(), n.scratch);
    CHECK(n.scratch.empty());
    CHECK(n.b.counters().transport_rejected == rejected + 1);
}

TEST_CASE("handshake retries every 5 s for 90 s, then gives up") {
    Net n;
    std::vector<MonoTime> attempts;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        if (s.type() == MESSAGE_HANDSHAKE_INITIATION)
            attempts.push_back(s.at);
        return false;
    });
    n.a_to_b();
    n.link.run_for(300s);
    // The first attempt and MAX_TIMER_HANDSHAKES + 1 retries, as the kernel does.
    REQUIRE(attempts.size() == MAX_TIMER_HANDSHAKES + 2);
    for (std::size_t i = 1; i < attempts.size(); ++i) {
        CHECK(attempts[i] - attempts[i - 1] >= REKEY_TIMEOUT);
        CHECK(attempts[i] - attempts[i - 1] <= REKEY_TIMEOUT + REKEY_TIMEOUT_JITTER_MAX);
    }
    CHECK(attempts.back() - attempts.front() <= REKEY_ATTEMPT_TIME + 2 * REKEY_TIMEOUT);
    CHECK(n.a.counters().staged_dropped == 1);
    // Nothing more is armed but the erasure of what's left (after 3 * REJECT_AFTER_TIME).
    CHECK(n.a.next_deadline() > n.clock.now().monotonic);
}

TEST_CASE("passive keepalive 10 s after one-way traffic") {
    Net n;
    n.a_to_b();
    // The first packet's keepalive (10 s later) and quiet since.
    n.link.run_for(30s);
    MonoTime sent = n.clock.now().monotonic;
    n.a_to_b();
    std::size_t before = n.link.log.size();
    n.link.run_for(30s);
    std::vector<test::MemoryLink::Sent> after(n.link.log.begin() + long(before), n.link.log.end());
    REQUIRE(after.size() == 1);
    CHECK(after[0].from_node == n.nb);
    CHECK(after[0].bytes.size() == transport::MIN_SIZE);
    CHECK(after[0].at == sent + KEEPALIVE_TIMEOUT);
}

TEST_CASE("persistent keepalive") {
    Net n;
    n.a.set_persistent_keepalive(n.pb, 25, n.clock.now(), n.scratch);
    n.link.collect(n.na, n.scratch);
    n.link.run_for(101s);
    // Turning it on started a handshake (no session yet), whose confirmation is a keepalive;
    // then one keepalive every 25 s of silence.
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 1);
    std::size_t keepalives = 0;
    for (auto& s : n.link.log)
        if (s.from_node == n.na && s.bytes.size() == transport::MIN_SIZE)
            ++keepalives;
    CHECK(keepalives == 1 + 4);
    CHECK(n.a.peer(n.pb)->persistent_keepalive == 25);
}

TEST_CASE("replayed initiation and replayed transport packets are rejected") {
    Net n;
    n.a_to_b();
    auto init = n.link.log[0];
    REQUIRE(init.type() == MESSAGE_HANDSHAKE_INITIATION);
    auto data = n.link.log[2];
    REQUIRE(data.type() == MESSAGE_TRANSPORT_DATA);

    n.clock.advance(1s);
    auto c = n.b.counters();
    n.b.on_datagram(init.bytes, init.from, n.clock.now(), n.scratch);
    CHECK(n.scratch.empty());
    CHECK(n.b.counters().handshake_rejected == c.handshake_rejected + 1);
    n.b.on_datagram(data.bytes, data.from, n.clock.now(), n.scratch);
    CHECK(n.scratch.empty());
    CHECK(n.b.counters().transport_rejected == c.transport_rejected + 1);
    // The session still works.
    n.a_to_b();
    CHECK(n.link.tun(n.nb).size() == 2);
}

namespace {
/// A batch of transport datagrams from a to b, sealed but not delivered, with the packets.
struct TransportBatch {
    std::vector<Bytes> datagrams;
    std::vector<Bytes> packets;
};
TransportBatch batch_a_to_b(Net& n, std::size_t count) {
    TransportBatch b;
    Output out;
    for (std::size_t i = 0; i < count; ++i) {
        b.packets.push_back(
            ipv4_packet("10.0.0.1", "10.0.0.2", 20 + i * 37 % 1300, std::uint8_t(i)));
        n.a.on_tun_packet(b.packets.back(), n.clock.now(), out);
    }
    for (const auto& d : out.datagrams()) {
        REQUIRE(message_type(d.bytes) == MESSAGE_TRANSPORT_DATA);
        b.datagrams.push_back(d.bytes);
    }
    REQUIRE(b.datagrams.size() == count);
    return b;
}
} // namespace

TEST_CASE("transport data opened ahead on several threads is delivered as if opened in order") {
    Net n;
    n.a_to_b(); // a session, confirmed at b
    TransportBatch batch = batch_a_to_b(n, 64);
    // The batch as the engine reads it, with trouble mixed in: a replay of a datagram of this
    // batch, a forged one (tag flipped), one for an unknown index and a handshake message.
    std::vector<Bytes> read = batch.datagrams;
    read.insert(read.begin() + 10, batch.datagrams[3]);
    Bytes forged = batch.datagrams[5];
    forged.back() ^= 1;
    read.insert(read.begin() + 20, forged);
    Bytes unknown = batch.datagrams[6];
    unknown[transport::RECEIVER] ^= 0x55;
    read.insert(read.begin() + 30, unknown);
    read.insert(read.begin() + 40, n.link.log[0].bytes); // the first initiation, replayed
    const std::vector<Bytes> as_read = read;

    auto before = n.b.counters();
    auto rx_before = n.b.peer(n.pa)->rx_bytes;
    std::vector<OpenedAhead> ahead(read.size());
    constexpr unsigned THREADS = 4;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < THREADS; ++t)
        threads.emplace_back([&, t] {
            crypto::set_aead_thread_slot(t + 1);
            for (std::size_t i = t; i < read.size(); i += THREADS)
                ahead[i] = n.b.open_ahead(read[i], n.clock.now());
        });
    for (auto& t : threads)
        t.join();
    // Nothing moved yet: no counter, no byte count, no output.
    CHECK(n.b.counters().transport_rejected == before.transport_rejected);
    CHECK(n.b.peer(n.pa)->rx_bytes == rx_before);
    CHECK(ahead[10].result == OpenedAhead::Result::opened); // the replay authenticates...
    CHECK(ahead[20].result == OpenedAhead::Result::failed);
    CHECK(ahead[30].result == OpenedAhead::Result::untouched);
    CHECK(ahead[40].result == OpenedAhead::Result::untouched);
    CHECK(read[30] == as_read[30]);
    CHECK(read[40] == as_read[40]);

    Output out;
    const Endpoint from = ep("192.0.2.1:51820");
    for (std::size_t i = 0; i < read.size(); ++i)
        n.b.on_datagram(read[i], ahead[i], from, n.clock.now(), out);
    REQUIRE(out.tun_packets().size() == batch.packets.size()); // ...but is delivered once
    for (std::size_t i = 0; i < batch.packets.size(); ++i)
        REQUIRE(out.tun_packets()[i].bytes == batch.packets[i]);
    // The replay, the forgery and the unknown index; the initiation is a handshake's count.
    CHECK(n.b.counters().transport_rejected == before.transport_rejected + 3);
    CHECK(n.b.counters().handshake_rejected == before.handshake_rejected + 1);
    std::uint64_t sent = 0;
    for (const auto& d : batch.datagrams)
        sent += d.size();
    CHECK(n.b.peer(n.pa)->rx_bytes == rx_before + sent);

    // Opened in place by the same thread, in order, it is the same again.
    TransportBatch again = batch_a_to_b(n, 8);
    out.clear();
    for (auto& d : again.datagrams)
        n.b.on_datagram(d, n.b.open_ahead(d, n.clock.now()), from, n.clock.now(), out);
    REQUIRE(out.tun_packets().size() == again.packets.size());
    for (std::size_t i = 0; i < again.packets.size(); ++i)
        CHECK(out.tun_packets()[i].bytes == again.packets[i]);
}

TEST_CASE("a packet opened ahead counts only if it authenticated, under the keypair it names") {
    Net n;
    n.a_to_b();
    TransportBatch batch = batch_a_to_b(n, 3);
    const Endpoint from = ep("192.0.2.1:51820");
    Output out;
    auto before = n.b.counters();

    // Opened, but the result names another keypair (one that had the same index before):
    // dropped, and its counter is not used up.
    Bytes d0 = batch.datagrams[0];
    OpenedAhead a0 = n.b.open_ahead(d0, n.clock.now());
    REQUIRE(a0.result == OpenedAhead::Result::opened);
    n.b.on_datagram(d0, OpenedAhead{a0.result, a0.keypair + 1}, from, n.clock.now(), out);
    CHECK(out.tun_packets().empty());
    CHECK(n.b.counters().transport_rejected == before.transport_rejected + 1);
    n.b.on_datagram(batch.datagrams[0], from, n.clock.now(), out);
    REQUIRE(out.tun_packets().size() == 1);
    CHECK(out.tun_packets()[0].bytes == batch.packets[0]);

    // A failed opening changes nothing: the genuine datagram with that counter still counts.
    Bytes d1 = batch.datagrams[1];
    d1[transport::HEADER_SIZE] ^= 0x80;
    OpenedAhead a1 = n.b.open_ahead(d1, n.clock.now());
    REQUIRE(a1.result == OpenedAhead::Result::failed);
    CHECK(a1.keypair == a0.keypair);
    n.b.on_datagram(d1, a1, from, n.clock.now(), out);
    CHECK(out.tun_packets().size() == 1);
    n.b.on_datagram(batch.datagrams[1], from, n.clock.now(), out);
    REQUIRE(out.tun_packets().size() == 2);
    CHECK(out.tun_packets()[1].bytes == batch.packets[1]);

    // Already seen: not even opened.
    Bytes again = batch.datagrams[1];
    CHECK(n.b.open_ahead(again, n.clock.now()).result == OpenedAhead::Result::untouched);
    CHECK(again == batch.datagrams[1]);

    // A device that is down opens nothing.
    n.b.set_up(false, n.clock.now(), out);
    Bytes d2 = batch.datagrams[2];
    CHECK(n.b.open_ahead(d2, n.clock.now()).result == OpenedAhead::Result::untouched);
}

TEST_CASE("allowed-IPs source filter drops and counts spoofed inner sources") {
    Net n;
    n.a_to_b();
    n.link.tun_send(n.na, ipv4_packet("10.0.0.1", "10.0.0.2", 10));
    CHECK(n.link.tun(n.nb).size() == 2);
    // b has another peer, which owns 10.9.9.0/24.
    protocol::Key other = crypto::public_key_of(crypto::generate_private_key(n.keys));
    REQUIRE(n.b.add_peer(other));
    n.b.add_allowed_ip(other, pfx("10.9.9.0/24"));
    std::uint64_t rx = n.b.peer(n.pa)->rx_bytes;
    // a routes 10.0.0.2 to b, but claims a source b allows only for the other peer.
    n.link.tun_send(n.na, ipv4_packet("10.9.9.9", "10.0.0.2", 10));
    CHECK(n.link.tun(n.nb).size() == 2);
    CHECK(n.b.counters().source_not_allowed == 1);
    // Counted against the peer that sent it, not the one owning the source; not in its rx.
    CHECK(n.b.peer(n.pa)->source_not_allowed == 1);
    CHECK(n.b.peer(other)->source_not_allowed == 0);
    CHECK(n.b.peer(n.pa)->rx_bytes == rx);
    n.link.tun_send(n.na, ipv4_packet("203.0.113.1", "10.0.0.2", 10));
    CHECK(n.b.peer(n.pa)->source_not_allowed == 2);
    CHECK(n.b.peers().size() == 2);
    // No peer for the destination: dropped at a.
    n.link.tun_send(n.na, ipv4_packet("10.0.0.1", "10.0.0.3", 10));
    CHECK(n.a.counters().no_route == 1);
}

TEST_CASE("roaming follows the latest authenticated packet only") {
    Net n(false);
    CHECK_FALSE(n.b.peer(n.pa)->endpoint);
    n.a_to_b();
    CHECK(n.b.peer(n.pa)->endpoint == ep("192.0.2.1:51820"));
    // a moves: its next packet teaches b the new address, and b answers there.
    n.link.move(n.na, ep("198.51.100.7:40000"));
    n.a_to_b();
    CHECK(n.b.peer(n.pa)->endpoint == ep("198.51.100.7:40000"));
    n.b_to_a();
    CHECK(n.link.tun(n.na).size() == 1);
    CHECK(n.link.log.back().to == ep("198.51.100.7:40000"));
    // A replay from elsewhere, and garbage, change nothing.
    auto data = n.link.log[n.link.log.size() - 2];
    REQUIRE(data.type() == MESSAGE_TRANSPORT_DATA);
    n.b.on_datagram(data.bytes, ep("203.0.113.9:1"), n.clock.now(), n.scratch);
    Bytes forged = data.bytes;
    forged[20] ^= 1;
    n.b.on_datagram(forged, ep("203.0.113.9:1"), n.clock.now(), n.scratch);
    CHECK(n.scratch.empty());
    CHECK(n.b.peer(n.pa)->endpoint == ep("198.51.100.7:40000"));
}

TEST_CASE("cookie reply path end to end under load") {
    Net n;
    n.b.set_under_load(true);
    n.a_to_b();
    CHECK(n.b.counters().cookie_replies_sent == 1);
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_COOKIE) == 1);
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_RESPONSE) == 0);
    CHECK(n.link.tun(n.nb).empty());
    // The retransmission carries MAC2 and is answered.
    n.link.run_for(6s);
    CHECK(n.link.count(n.na, MESSAGE_HANDSHAKE_INITIATION) == 2);
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_RESPONSE) == 1);
    CHECK(n.link.tun(n.nb).size() == 1);
    CHECK(n.b.counters().cookie_replies_sent == 1);
}

TEST_CASE("under load, each source is rate limited") {
    Net n;
    n.b.set_under_load(true);
    n.a_to_b(); // gets a cookie
    std::vector<Bytes> inits;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        if (s.type() == MESSAGE_HANDSHAKE_INITIATION)
            inits.push_back(s.bytes);
        return false;
    });
    n.link.run_for(6s); // the retry, now with MAC2, captured
    REQUIRE(inits.size() == 1);
    auto from = n.link.address(n.na);
    for (int i = 0; i < 10; ++i) {
        n.b.on_datagram(inits[0], from, n.clock.now(), n.scratch);
        n.scratch.clear();
    }
    // A burst of 5 passes the limiter (1 accepted, 4 replays), the rest are limited.
    CHECK(n.b.counters().rate_limited == 5);
    CHECK(n.b.counters().handshake_rejected == 4);
}

TEST_CASE("under load, cookie replies are rate limited per source") {
    Net n;
    n.b.set_under_load(true);
    std::vector<Bytes> inits;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        if (s.type() == MESSAGE_HANDSHAKE_INITIATION)
            inits.push_back(s.bytes);
        return false;
    });
    n.a_to_b();
    REQUIRE(inits.size() == 1); // MAC2 all zeros: a has no cookie
    auto replies_to = [&](const Endpoint& from, int times) {
        int replies = 0;
        for (int i = 0; i < times; ++i) {
            n.b.on_datagram(inits[0], from, n.clock.now(), n.scratch);
            for (const auto& d : n.scratch.datagrams()) {
                CHECK(message_type(d.bytes) == MESSAGE_HANDSHAKE_COOKIE);
                CHECK(d.to == from);
                ++replies;
            }
            n.scratch.clear();
        }
        return replies;
    };
    // A burst of 5 per source, then nothing until its bucket refills; other sources unaffected.
    CHECK(replies_to(ep("203.0.113.5:1000"), 10) == 5);
    CHECK(n.b.counters().cookie_replies_sent == 5);
    CHECK(n.b.counters().cookie_replies_limited == 5);
    CHECK(replies_to(ep("203.0.113.5:2000"), 1) == 0); // the bucket is the address's
    CHECK(replies_to(ep("203.0.113.6:1000"), 1) == 1);
    n.clock.advance(Ratelimiter::PACKET_COST);
    CHECK(replies_to(ep("203.0.113.5:1000"), 2) == 1);
    // Not under load, the same message is answered, not limited.
    n.b.set_under_load(false);
    n.b.on_datagram(inits[0], ep("203.0.113.5:1000"), n.clock.now(), n.scratch);
    REQUIRE(n.scratch.datagrams().size() == 1);
    CHECK(message_type(n.scratch.datagrams()[0].bytes) == MESSAGE_HANDSHAKE_RESPONSE);
}

TEST_CASE("every single-bit flip of every message is rejected") {
    Net n;
    n.a.set_under_load(false);
    std::vector<test::MemoryLink::Sent> held;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        held.push_back(s);
        return false;
    });
    auto flips_rejected = [&](Device& d, const test::MemoryLink::Sent& m, std::size_t upto) {
        for (std::size_t bit = 0; bit < upto * 8; ++bit) {
            Bytes x = m.bytes;
            x[bit / 8] ^= std::uint8_t(1u << (bit % 8));
            d.on_datagram(x, m.from, n.clock.now(), n.scratch);
            if (!n.scratch.empty()) {
                FAIL("bit " << bit << " of a type " << int(m.type()) << " message accepted");
                n.scratch.clear();
            }
        }
    };
    // Initiation: held, flipped into b (MAC2 bits are not checked when not under load).
    n.a_to_b();
    REQUIRE(held.size() == 1);
    auto init = held[0];
    flips_rejected(n.b, init, initiation::MAC2);
    // MAC2 flips under load: a cookie reply, never a response.
    n.b.set_under_load(true);
    for (std::size_t bit = initiation::MAC2 * 8; bit < initiation::SIZE * 8; ++bit) {
        Bytes x = init.bytes;
        x[bit / 8] ^= std::uint8_t(1u << (bit % 8));
        n.b.on_datagram(x, init.from, n.clock.now(), n.scratch);
        REQUIRE(n.scratch.datagrams().size() == 1);
        CHECK(message_type(n.scratch.datagrams()[0].bytes) == MESSAGE_HANDSHAKE_COOKIE);
        n.scratch.clear();
        n.clock.advance(Ratelimiter::PACKET_COST); // the source's share of cookie replies
    }
    auto cookie = n.b.counters().cookie_replies_sent;
    CHECK(cookie == MAC_SIZE * 8);
    n.b.set_under_load(false);

    // The real initiation; the response is held and flipped into a.
    n.b.on_datagram(init.bytes, init.from, n.clock.now(), n.scratch);
    n.link.collect(n.nb, n.scratch);
    n.link.pump();
    REQUIRE(held.size() == 2);
    auto resp = held[1];
    REQUIRE(resp.type() == MESSAGE_HANDSHAKE_RESPONSE);
    flips_rejected(n.a, resp, response::MAC2);

    // A cookie reply (b under load answering a's initiation), flipped into a.
    n.b.set_under_load(true);
    n.b.on_datagram(init.bytes, init.from, n.clock.now(), n.scratch);
    n.link.collect(n.nb, n.scratch);
    n.link.pump();
    REQUIRE(held.size() == 3);
    auto reply = held[2];
    REQUIRE(reply.type() == MESSAGE_HANDSHAKE_COOKIE);
    auto rejected = n.a.counters().handshake_rejected + n.a.counters().malformed;
    flips_rejected(n.a, reply, cookie_reply::SIZE);
    CHECK(n.a.counters().handshake_rejected + n.a.counters().malformed ==
          rejected + cookie_reply::SIZE * 8);
    n.b.set_under_load(false);

    // The real response completes a's side; a's data is held and flipped into b.
    n.a.on_datagram(resp.bytes, resp.from, n.clock.now(), n.scratch);
    n.link.collect(n.na, n.scratch);
    n.link.pump();
    REQUIRE(held.size() == 4);
    auto data = held[3];
    REQUIRE(data.type() == MESSAGE_TRANSPORT_DATA);
    flips_rejected(n.b, data, data.bytes.size());
    // And the untouched originals still work.
    n.b.on_datagram(data.bytes, data.from, n.clock.now(), n.scratch);
    REQUIRE(n.scratch.tun_packets().size() == 1);
}

TEST_CASE("configuration: own key, moving prefixes, order, down") {
    Net n;
    // A peer with our own public key is never added, and setting our key to a peer's drops it.
    CHECK_FALSE(n.a.add_peer(n.pa));
    CHECK(n.a.peers().size() == 1);
    Key other = crypto::public_key_of(crypto::generate_private_key(n.keys));
    CHECK(n.a.add_peer(other));
    CHECK(n.a.add_allowed_ip(other, pfx("10.0.0.9/24")));
    CHECK(n.a.add_allowed_ip(other, pfx("fd00::1/64")));
    CHECK(n.a.add_allowed_ip(other, pfx("10.0.0.2/32"))); // moves from pb
    CHECK(n.a.peer(n.pb)->allowed_ips.empty());
    CHECK(n.a.peer(other)->allowed_ips ==
          std::vector<IpPrefix>{pfx("10.0.0.0/24"), pfx("fd00::/64"), pfx("10.0.0.2/32")});
    auto all = n.a.peers();
    REQUIRE(all.size() == 2);
    CHECK(all[0].public_key == n.pb);
    CHECK(all[1].public_key == other);
    CHECK(n.a.remove_allowed_ip(n.pb, pfx("10.0.0.2/32")) == true);
    CHECK(n.a.peer(other)->allowed_ips.size() == 3); // not pb's: untouched
    CHECK(n.a.remove_allowed_ip(other, pfx("10.0.0.77/24")));
    CHECK(n.a.peer(other)->allowed_ips.size() == 2);
    n.a.remove_all_allowed_ips(other);
    CHECK(n.a.peer(other)->allowed_ips.empty());

    n.b.set_private_key(n.ka); // b takes a's key: its peer a (same public key) goes away
    CHECK_FALSE(n.b.has_peer(n.pa));
    CHECK(n.b.public_key() == n.pa);
    n.b.set_private_key(std::nullopt);
    CHECK_FALSE(n.b.public_key());

    // Down drops sessions: after going down and up a new handshake is needed.
    Net m;
    m.a_to_b();
    CHECK(m.link.count(m.na, MESSAGE_HANDSHAKE_INITIATION) == 1);
    m.a.set_up(false, m.clock.now(), m.scratch);
    CHECK(m.a.next_deadline() == MonoTime::max());
    m.a_to_b(); // ignored while down
    CHECK(m.link.tun(m.nb).size() == 1);
    m.clock.advance(1s); // a newer initiation timestamp than the last one b accepted
    m.a.set_up(true, m.clock.now(), m.scratch);
    m.a_to_b();
    CHECK(m.link.count(m.na, MESSAGE_HANDSHAKE_INITIATION) == 2);
    CHECK(m.link.tun(m.nb).size() == 2);
}

TEST_CASE("malformed datagrams change nothing and produce nothing") {
    Net n;
    n.a_to_b();
    auto before = n.b.peer(n.pa);
    test::FakeRandom junk(99);
    for (std::size_t len : {0, 1, 3, 4, 31, 32, 63, 64, 65, 91, 92, 93, 147, 148, 149, 200}) {
        for (int type = 0; type < 6; ++type) {
            Bytes d(len);
            junk.fill(d);
            if (len > 0)
                d[0] = std::uint8_t(type);
            n.b.on_datagram(d, ep("203.0.113.5:9"), n.clock.now(), n.scratch);
            CHECK(n.scratch.empty());
        }
    }
    auto after = n.b.peer(n.pa);
    CHECK(after->endpoint == before->endpoint);
    CHECK(after->rx_bytes == before->rx_bytes);
    n.a_to_b();
    CHECK(n.link.tun(n.nb).size() == 2);
}

TEST_CASE("staged packets are bounded, oldest dropped, and flushed after the handshake") {
    Net n;
    std::vector<Bytes> inits;
    n.link.set_filter([&](test::MemoryLink::Sent& s) {
        if (s.type() == MESSAGE_HANDSHAKE_INITIATION && inits.empty()) {
            inits.push_back(s.bytes);
            return false;
        }
        return true;
    });
    for (int i = 0; i < 200; ++i)
        n.a_to_b(20, std::uint8_t(i));
    CHECK(n.a.counters().staged_dropped == 200 - MAX_STAGED_PACKETS);
    n.link.run_for(6s); // the retry gets through
    REQUIRE(n.link.tun(n.nb).size() == MAX_STAGED_PACKETS);
    CHECK(n.link.tun(n.nb).front()[30] == std::uint8_t(200 - MAX_STAGED_PACKETS));
    CHECK(n.link.tun(n.nb).back()[30] == 199);
}

TEST_CASE("IPv6 inner packets and MTU changes") {
    Net n;
    n.a.add_allowed_ip(n.pb, pfx("fd00::2/128"));
    n.b.add_allowed_ip(n.pa, pfx("fd00::1/128"));
    Bytes p = test::ipv6_packet("fd00::1", "fd00::2", 33);
    n.link.tun_send(n.na, p);
    REQUIRE(n.link.tun(n.nb).size() == 1);
    CHECK(n.link.tun(n.nb)[0] == p);
    CHECK(n.link.log.back().bytes.size() == 16 + 80 + 16);
    n.a.set_mtu(75);
    n.link.tun_send(n.na, p);
    CHECK(n.link.log.back().bytes.size() == 16 + 75 + 16);
    CHECK(n.link.tun(n.nb).back() == p);
}

TEST_CASE("a new private key recomputes the static DH and stops old sessions sending") {
    Net n;
    n.a_to_b();
    REQUIRE(n.link.tun(n.nb).size() == 1);
    Key kb2 = crypto::generate_private_key(n.keys);
    Key pb2 = crypto::public_key_of(kb2);
    n.b.set_private_key(kb2);
    n.clock.advance(1s);
    // b may not send on the session made under its old key: it starts a handshake instead,
    // which a (still expecting the old key) cannot complete.
    n.b_to_a();
    CHECK(n.link.tun(n.na).empty());
    CHECK(n.link.count(n.nb, MESSAGE_HANDSHAKE_INITIATION) == 1);
    CHECK(n.a.counters().handshake_rejected >= 1);
    // Once a knows b's new key, handshakes work again.
    n.a.remove_peer(n.pb);
    REQUIRE(n.a.add_peer(pb2));
    n.a.add_allowed_ip(pb2, pfx("10.0.0.2/32"));
    n.a.set_endpoint(pb2, ep("192.0.2.2:51820"));
    n.clock.advance(1s);
    n.a_to_b();
    CHECK(n.link.tun(n.nb).size() == 2);
    n.b_to_a();
    CHECK(n.link.tun(n.na).size() >= 1);
}

TEST_CASE("deadlines: none while idle, the earliest timer otherwise") {
    Net n;
    CHECK(n.a.next_deadline() == MonoTime::max());
    n.a_to_b();
    // a sent data: a new-handshake timer 15 s (+ jitter) out, and the 9-minute erasure.
    MonoTime d = n.a.next_deadline();
    CHECK(d >= n.clock.now().monotonic + KEEPALIVE_TIMEOUT + REKEY_TIMEOUT);
    CHECK(d <=
          n.clock.now().monotonic + KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + REKEY_TIMEOUT_JITTER_MAX);
    // Persistent keepalive set while down sends nothing.
    Net m;
    m.a.set_up(false, m.clock.now(), m.scratch);
    m.a.set_persistent_keepalive(m.pb, 5, m.clock.now(), m.scratch);
    CHECK(m.scratch.empty());
    CHECK(m.a.next_deadline() == MonoTime::max());
}
