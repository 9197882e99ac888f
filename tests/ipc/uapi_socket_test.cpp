#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <type_traits>
#include <unistd.h>
#include <vector>

#include "ipc/uapi_socket.hpp"

using namespace wgx;

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/wgx-uapi-sock-XXXXXX";
        REQUIRE(::mkdtemp(tmpl));
        path = tmpl;
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

/// Binds DIR/NAME.sock; listening makes it live, closing without unlink leaves it stale.
UniqueFd bind_socket(const std::string& path, bool listening) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    if (listening)
        REQUIRE(::listen(fd.get(), 4) == 0);
    return fd;
}

bool exists(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

} // namespace

TEST_CASE("live sockets are listed, stale ones cleaned up, other files ignored") {
    TempDir dir;
    auto live = bind_socket(dir.path + "/wgxlive.sock", true);
    { auto stale = bind_socket(dir.path + "/wgxstale.sock", false); }
    ::close(::open((dir.path + "/plain.sock").c_str(), O_CREAT | O_WRONLY, 0600));
    ::close(::open((dir.path + "/.sock").c_str(), O_CREAT | O_WRONLY, 0600));

    auto names = ipc::uapi_list(dir.path);
    REQUIRE(names);
    CHECK(*names == std::vector<std::string>{"wgxlive"});
    CHECK_FALSE(exists(dir.path + "/wgxstale.sock"));
    CHECK(exists(dir.path + "/plain.sock"));

    CHECK(ipc::uapi_has_interface(dir.path, "wgxlive"));
    CHECK_FALSE(ipc::uapi_has_interface(dir.path, "plain"));
    CHECK_FALSE(ipc::uapi_has_interface(dir.path, "../wgxlive"));

    auto missing = ipc::uapi_connect(dir.path, "nothere");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ENOENT);
    auto notsock = ipc::uapi_connect(dir.path, "plain");
    REQUIRE_FALSE(notsock);
    CHECK(notsock.error().code == EBADF);
    auto slash = ipc::uapi_connect(dir.path, "a/b");
    REQUIRE_FALSE(slash);
    CHECK(slash.error().code == EINVAL);

    auto empty = ipc::uapi_list(dir.path + "/absent");
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("one exchange: the request goes out, the reply is read to its empty line") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    UniqueFd client(sv[0]), server(sv[1]);
    std::string seen;
    std::thread peer([&] {
        char buf[64];
        while (seen.find("\n\n") == std::string::npos) {
            ssize_t n = ::read(server.get(), buf, sizeof buf);
            if (n <= 0)
                return;
            seen.append(buf, size_t(n));
        }
        // The reply arrives in pieces; bytes after the empty line are not read.
        const char* parts[] = {"listen_port=5", "1820\nerr", "no=0\n", "\nextra"};
        for (const char* p : parts)
            REQUIRE(::write(server.get(), p, std::strlen(p)) > 0);
    });
    auto reply = ipc::uapi_exchange(client.get(), "get=1\n\n");
    peer.join();
    REQUIRE(reply);
    CHECK(seen == "get=1\n\n");
    CHECK(reply->rfind("listen_port=51820\nerrno=0\n\n", 0) == 0);
}

TEST_CASE("uapi_exchange reads the reply, which may hold the private key, into wiping memory") {
    static_assert(std::is_same_v<decltype(ipc::uapi_exchange(-1, "")), Result<SecretString>>);
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    UniqueFd client(sv[0]), server(sv[1]);
    const std::string reply = "private_key=" + std::string(64, 'a') + "\nerrno=0\n\n";
    REQUIRE(::write(server.get(), reply.data(), reply.size()) == ssize_t(reply.size()));
    auto got = ipc::uapi_exchange(client.get(), "get=1\n\n");
    REQUIRE(got);
    CHECK(std::string_view(*got) == reply);
}

TEST_CASE("uapi_exchange hands the reply over as it arrives and stops when the sink has it all") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    UniqueFd client(sv[0]), server(sv[1]);
    const std::string first = "listen_port=5", second = "1820\nerrno=0\n\n";
    REQUIRE(::write(server.get(), first.data(), first.size()) == ssize_t(first.size()));
    std::vector<std::string> pieces;
    auto sink = [&](std::string_view piece) {
        pieces.emplace_back(piece);
        if (pieces.size() == 1) // the second piece is sent only once the first was handed over
            REQUIRE(::write(server.get(), second.data(), second.size()) == ssize_t(second.size()));
        return pieces.size() == 2;
    };
    REQUIRE(ipc::uapi_exchange(client.get(), "get=1\n\n", sink));
    REQUIRE(pieces.size() == 2);
    CHECK(pieces[0] == first);
    CHECK(pieces[1] == second);
    // EOF before the sink is satisfied ends the exchange too; the caller judges the reply.
    pieces.clear();
    REQUIRE(::write(server.get(), first.data(), first.size()) == ssize_t(first.size()));
    ::shutdown(server.get(), SHUT_WR);
    REQUIRE(ipc::uapi_exchange(client.get(), "get=1\n\n", [&](std::string_view piece) {
        pieces.emplace_back(piece);
        return false;
    }));
    CHECK(pieces == std::vector<std::string>{first});
}
