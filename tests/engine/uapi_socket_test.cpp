#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine/uapi_socket.hpp"

using namespace wgx::engine;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/wgx-engine-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

mode_t mode_of(const std::string& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

bool connects(const std::string& path) {
    wgx::UniqueFd s(::socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    return ::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}
} // namespace

TEST_CASE("the socket is made with the reference's permissions and removed at the end") {
    TempDir tmp;
    std::string dir = tmp.path + "/wireguard";
    std::string path = uapi_socket_path(dir, "wgt0");
    {
        auto s = UapiSocket::open(dir, "wgt0");
        REQUIRE(s);
        CHECK(s->path() == path);
        CHECK(mode_of(dir) == 0755);
        CHECK(mode_of(path) == 0700);
        CHECK(connects(path));
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("a stale socket is replaced, a live one refused") {
    TempDir tmp;
    auto first = UapiSocket::open(tmp.path, "wgt1");
    REQUIRE(first);
    auto second = UapiSocket::open(tmp.path, "wgt1");
    REQUIRE_FALSE(second);
    CHECK(second.error().message == "UAPI listen error: unix socket in use");
    CHECK(fs::exists(first->path())); // the refused one did not remove the live socket

    // A socket file nobody listens on any more (its engine was killed).
    std::string stale = uapi_socket_path(tmp.path, "wgt2");
    {
        wgx::UniqueFd s(::socket(AF_UNIX, SOCK_STREAM, 0));
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::snprintf(a.sun_path, sizeof a.sun_path, "%s", stale.c_str());
        REQUIRE(::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    REQUIRE(fs::exists(stale));
    auto third = UapiSocket::open(tmp.path, "wgt2");
    REQUIRE(third);
    CHECK(connects(stale));
}

TEST_CASE("removing the socket file is noticed, another engine's socket is left alone") {
    TempDir tmp;
    auto s = UapiSocket::open(tmp.path, "wgt3");
    REQUIRE(s);
    auto watch = s->watch();
    REQUIRE(watch);
    CHECK(s->still_present());
    REQUIRE(::unlink(s->path().c_str()) == 0);
    CHECK_FALSE(s->still_present());

    // Someone else's socket now has the name: ours must not delete it when we end.
    auto other = UapiSocket::open(tmp.path, "wgt3");
    REQUIRE(other);
    std::string path = s->path();
    *s = UapiSocket();
    CHECK(fs::exists(path));
    CHECK(connects(path));
}

TEST_CASE("names that do not fit a socket address are refused") {
    TempDir tmp;
    auto s = UapiSocket::open(tmp.path + "/" + std::string(120, 'd'), "wgt4");
    CHECK_FALSE(s);
}
