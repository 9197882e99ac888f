#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "engine/udp_sockets.hpp"
#include "support/skip.hpp"

using namespace wgx;
using namespace wgx::engine;

namespace {
bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 2000) == 1;
}
} // namespace

TEST_CASE("both families bind to one random port") {
    auto s = UdpSockets::open(0, 0);
    REQUIRE(s);
    CHECK(s->is_open());
    CHECK(s->port() != 0);
    REQUIRE(s->fd4() >= 0);
    sockaddr_in in{};
    socklen_t len = sizeof in;
    REQUIRE(::getsockname(s->fd4(), reinterpret_cast<sockaddr*>(&in), &len) == 0);
    CHECK(ntohs(in.sin_port) == s->port());
    if (s->fd6() >= 0) {
        sockaddr_in6 in6{};
        len = sizeof in6;
        REQUIRE(::getsockname(s->fd6(), reinterpret_cast<sockaddr*>(&in6), &len) == 0);
        CHECK(ntohs(in6.sin6_port) == s->port());
    }
}

TEST_CASE("a port in use is refused with EADDRINUSE") {
    auto a = UdpSockets::open(0, 0);
    REQUIRE(a);
    auto b = UdpSockets::open(a->port(), 0);
    REQUIRE_FALSE(b);
    CHECK(b.error().code == EADDRINUSE);
}

TEST_CASE("datagrams carry the local address they arrived on, and answers leave from it") {
    auto a = UdpSockets::open(0, 0);
    auto b = UdpSockets::open(0, 0);
    REQUIRE(a);
    REQUIRE(b);
    auto loop4 = IpAddress::parse("127.0.0.1");
    Endpoint to_b = Endpoint::from(*loop4, b->port());
    std::uint8_t payload[] = {4, 0, 0, 0, 1, 2, 3};
    bool failed = false;
    REQUIRE(a->send(to_b, std::nullopt, payload, failed) == 0);
    REQUIRE(wait_readable(b->fd4()));
    std::uint8_t buf[64];
    Received r;
    REQUIRE(b->receive(b->fd4(), buf, r) == 0);
    CHECK(r.size == sizeof payload);
    CHECK(r.from.port() == a->port());
    REQUIRE(r.local);
    CHECK(r.local->address == *loop4);

    // Reply from 127.0.0.2 (also ours: all of 127/8 is local), as the peer had reached it.
    auto loop4b = IpAddress::parse("127.0.0.2");
    protocol::LocalSource src{*loop4b, 0};
    REQUIRE(b->send(r.from, src, payload, failed) == 0);
    CHECK_FALSE(failed);
    REQUIRE(wait_readable(a->fd4()));
    REQUIRE(a->receive(a->fd4(), buf, r) == 0);
    CHECK(r.from.address() == *loop4b);

    // A source address that is not ours any more: the routing table chooses instead.
    auto gone = IpAddress::parse("192.0.2.77");
    REQUIRE(b->send(Endpoint::from(*loop4, a->port()), protocol::LocalSource{*gone, 0}, payload,
                    failed) == 0);
    CHECK(failed);
    REQUIRE(wait_readable(a->fd4()));
    REQUIRE(a->receive(a->fd4(), buf, r) == 0);
    CHECK(r.from.address() == *loop4);

    CHECK(a->receive(a->fd4(), buf, r) == -EAGAIN);
}

TEST_CASE("IPv6 datagrams over the v6 socket") {
    auto a = UdpSockets::open(0, 0);
    auto b = UdpSockets::open(0, 0);
    REQUIRE(a);
    REQUIRE(b);
    if (a->fd6() < 0 || b->fd6() < 0) {
        // The sockets came up IPv4-only, which is right on a host without IPv6.
        test::skip("no IPv6 on this host: the engine opened IPv4 sockets only");
        return;
    }
    auto loop6 = IpAddress::parse("::1");
    std::uint8_t payload[] = {1, 2, 3};
    bool failed = false;
    int rc = a->send(Endpoint::from(*loop6, b->port()), std::nullopt, payload, failed);
    if (rc == -EADDRNOTAVAIL || rc == -ENETUNREACH) {
        test::skip("IPv6 is disabled on loopback here: ::1 is unreachable");
        return;
    }
    REQUIRE(rc == 0);
    REQUIRE(wait_readable(b->fd6()));
    std::uint8_t buf[64];
    Received r;
    REQUIRE(b->receive(b->fd6(), buf, r) == 0);
    CHECK(r.from.port() == a->port());
    REQUIRE(r.local);
    CHECK(r.local->address == *loop6);
}
