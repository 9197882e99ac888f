#include <doctest/doctest.h>

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
