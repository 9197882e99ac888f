#include <doctest/doctest.h>

#include <array>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/uapi_connection.hpp"

using namespace wgx;
using namespace wgx::engine;

namespace {
std::string read_all(int fd) {
    std::string s;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
        s.append(buf, std::size_t(n));
    return s;
}
} // namespace

TEST_CASE("requests on one connection come out in order and replies go back") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    UapiConnection c{UniqueFd{fds[0]}, MonoClock::now()};
    std::string req = "get=1\n\nset=1\nlisten_port=1\n\nset=1\nfoo=bar\n\n";
    REQUIRE(::send(fds[1], req.data(), req.size(), 0) == ssize_t(req.size()));
    REQUIRE(c.read_some(MonoClock::now()));
    auto r1 = c.next_request();
    auto r2 = c.next_request();
    auto r3 = c.next_request();
    REQUIRE(r1);
    REQUIRE(r2);
    REQUIRE(r3);
    CHECK(r1->kind == uapi::ServerEvent::Kind::get);
    CHECK(r2->kind == uapi::ServerEvent::Kind::set);
    CHECK(r2->update.listen_port == std::optional<std::uint16_t>(1));
    CHECK(r3->kind == uapi::ServerEvent::Kind::error);
    CHECK_FALSE(c.next_request());
    c.queue_reply("errno=0\n\n");
    REQUIRE(c.flush());
    CHECK_FALSE(c.wants_write());
    CHECK(read_all(fds[1]) == "errno=0\n\n");
    CHECK_FALSE(c.finished());
    ::shutdown(fds[1], SHUT_WR);
    REQUIRE(c.read_some(MonoClock::now()));
    CHECK(c.finished());
    ::close(fds[1]);
}

TEST_CASE("a client that does not read holds only its own buffer") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    UapiConnection c{UniqueFd{fds[0]}, MonoClock::now()};
    std::string big(UapiConnection::MAX_PENDING_REPLY + 1, 'x');
    c.queue_reply(big);
    REQUIRE(c.flush()); // never blocks: the rest stays queued
    CHECK(c.wants_write());
    CHECK_FALSE(c.wants_read()); // no more requests until it reads its replies
    ::close(fds[1]);
    CHECK_FALSE(c.flush()); // the client went away
}

namespace {
/// A device whose get reply is several MB: many pieces, more than a socket buffer holds.
model::Device large_state(int peers) {
    model::Device d;
    d.private_key = *model::Key::from_hex(std::string(63, '0') + "7");
    d.listen_port = 51820;
    for (int i = 0; i < peers; ++i) {
        model::Peer& p = d.peers.emplace_back();
        std::array<std::uint8_t, 32> key{};
        key[0] = std::uint8_t(i >> 8);
        key[1] = std::uint8_t(i);
        key[31] = 1;
        p.public_key = model::Key(key);
        p.endpoint = Endpoint::from(*IpAddress::parse("192.0.2.1"), std::uint16_t(1000 + i));
        p.allowed_ips.push_back({*IpPrefix::parse("10.0.0.0/8"), false});
        p.persistent_keepalive = 25;
    }
    return d;
}
} // namespace

TEST_CASE("a get reply is made as the client reads it, in the request order, never blocking") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    UapiConnection c{UniqueFd{fds[0]}, MonoClock::now()};
    const model::Device state = large_state(20000); // about 8 MB of text
    const std::string expected = std::string(uapi::encode_get_reply(state)) + "errno=0\n\n" +
                                 std::string(uapi::encode_get_reply(state));
    // Two gets and a set pipelined: the set's reply waits for the first get's last piece.
    std::string req = "get=1\n\nset=1\n\nget=1\n\n";
    REQUIRE(::send(fds[1], req.data(), req.size(), 0) == ssize_t(req.size()));
    REQUIRE(c.read_some(MonoClock::now()));
    CHECK_FALSE(c.wants_read()); // requests are waiting: nothing more is read
    std::string got;
    int answered = 0, rounds = 0;
    while (got.size() < expected.size()) {
        REQUIRE(++rounds < 100000);
        while (c.ready_for_request()) {
            auto r = c.next_request();
            if (!r)
                break;
            ++answered;
            if (r->kind == uapi::ServerEvent::Kind::get)
                c.queue_get_reply(uapi::GetReplyEncoder(state));
            else
                c.queue_reply("errno=0\n\n");
        }
        REQUIRE(c.flush()); // returns when the socket is full: never waits for the client
        got += read_all(fds[1]);
    }
    CHECK(answered == 3);
    CHECK(got == expected);
    CHECK_FALSE(c.wants_write());
    CHECK(c.wants_read());
    ::shutdown(fds[1], SHUT_WR);
    REQUIRE(c.read_some(MonoClock::now()));
    CHECK(c.finished());
    ::close(fds[1]);
}

TEST_CASE("a get reply to a client that stops reading holds a snapshot and one piece") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    UapiConnection c{UniqueFd{fds[0]}, MonoClock::now()};
    std::string req = "get=1\n\nget=1\n\n";
    REQUIRE(::send(fds[1], req.data(), req.size(), 0) == ssize_t(req.size()));
    REQUIRE(c.read_some(MonoClock::now()));
    auto r = c.next_request();
    REQUIRE(r);
    c.queue_get_reply(uapi::GetReplyEncoder(large_state(20000)));
    // The socket fills up; flush returns each time instead of waiting.
    for (int i = 0; i < 4; ++i)
        REQUIRE(c.flush());
    CHECK(c.wants_write());
    CHECK_FALSE(c.ready_for_request()); // the second get waits: one snapshot per connection
    CHECK_FALSE(c.wants_read());
    CHECK(c.has_request());
    ::close(fds[1]);
    CHECK_FALSE(c.flush()); // the client went away
}
