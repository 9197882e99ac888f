// `wgx-engine [-f|--foreground] INTERFACE-NAME`: wireguard-go's command line and lifecycle.
// Creates the TUN device and the UAPI socket, then (unless in the foreground) detaches; the
// parent exits 0 only once the daemon reports that it is ready, else 1 with the daemon's error.
#include "engine/engine_main.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/version.hpp"
#include "crypto/aead.hpp"
#include "crypto/libcrypto_load.hpp"
#include "engine/engine.hpp"
#include "engine/log.hpp"
#include "engine/memory_lock.hpp"
#include "engine/tun_device.hpp"
#include "engine/uapi_socket.hpp"

namespace wgx::engine {
namespace {

void print_usage(std::FILE* to, const char* self) {
    fmt::print(to, "Usage: {} [-f/--foreground] INTERFACE-NAME\n", self);
}

void print_version() {
    utsname u{};
    ::uname(&u);
    fmt::print("wgx-engine v{}\n\nUserspace WireGuard daemon for linux-{}.\n"
               "A drop-in for wireguard-go, part of wgx.\n",
               VERSION, u.machine);
}

/// An inherited descriptor number from the environment (WG_TUN_FD, WG_UAPI_FD).
std::optional<int> fd_from_env(const char* name, std::string& error) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        return std::nullopt;
    int fd = -1;
    std::string_view s(value);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), fd);
    if (ec != std::errc() || end != s.data() + s.size() || fd < 0) {
        error = fmt::format("Invalid {}: {}", name, value);
        return -1;
    }
    return fd;
}

/// What the daemon tells its parent through the readiness pipe: "ok" or the error line.
void report_to_parent(int pipe_fd, std::string_view message) {
    if (pipe_fd < 0)
        return;
    std::string m(message);
    ssize_t ignored = ::write(pipe_fd, m.data(), m.size());
    (void)ignored;
    ::close(pipe_fd);
}

/// Detaches: returns in the child (with the write end of the readiness pipe), never in the
/// parent, which exits with 0 once the child reports "ok", else prints its error and exits 1.
int daemonize(bool keep_output) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) < 0) {
        fmt::print(stderr, "wgx-engine: Failed to daemonize: {}\n", std::strerror(errno));
        std::exit(1);
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        fmt::print(stderr, "wgx-engine: Failed to daemonize: {}\n", std::strerror(errno));
        std::exit(1);
    }
    if (pid > 0) {
        ::close(ready[1]);
        std::string message;
        char buf[512];
        ssize_t n;
        while ((n = ::read(ready[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0)
                message.append(buf, std::size_t(n));
        if (message == "ok")
            ::_exit(0); // no destructors: the socket file and the TUN now belong to the child
        if (message.empty())
            message = "wgx-engine: the daemon exited during start-up";
        fmt::print(stderr, "{}\n", message);
        ::_exit(1);
    }
    ::close(ready[0]);
    ::setsid();
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        if (!keep_output) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        if (null > STDERR_FILENO)
            ::close(null);
    }
    return ready[1];
}

} // namespace

int main(int argc, char** argv) {
    const char* self = argc > 0 ? argv[0] : "wgx-engine";
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        print_version();
        return 0;
    }

    bool foreground = false;
    std::string ifname;
    CLI::App app{"Userspace WireGuard daemon (a drop-in for wireguard-go)", "wgx-engine"};
    app.add_flag("-f,--foreground", foreground, "stay in the foreground");
    app.add_option("INTERFACE-NAME", ifname, "the interface to create")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        print_usage(stdout, self);
        return 0;
    } catch (const CLI::ParseError& e) {
        print_usage(stderr, self);
        fmt::print(stderr, "{}: {}\n", self, e.what());
        return 1;
    }
    if (const char* f = std::getenv("WG_PROCESS_FOREGROUND"); f && std::strcmp(f, "1") == 0)
        foreground = true;

    const char* level_env = std::getenv("LOG_LEVEL");
    LogLevel level = parse_log_level(level_env);
    Logger log(level, ifname);
    auto fail = [&](int pipe_fd, const std::string& message) {
        std::string line = fmt::format("wgx-engine: ({}) {}", ifname, message);
        if (pipe_fd >= 0)
            report_to_parent(pipe_fd, line);
        else
            fmt::print(stderr, "{}\n", line);
        return 1;
    };

    std::string env_error;
    auto tun_fd = fd_from_env("WG_TUN_FD", env_error);
    auto uapi_fd = fd_from_env("WG_UAPI_FD", env_error);
    if (!env_error.empty())
        return fail(-1, env_error);

    const char* disabled = std::getenv("WGX_ENGINE_DISABLE_OFFLOADS");
    auto offloads = parse_disabled_offloads(disabled ? disabled : "");
    if (!offloads)
        return fail(-1, offloads.error().message);
    offloads->crypto_workers = crypto_workers_for(usable_cores());
    if (const char* n = std::getenv("WGX_ENGINE_CRYPTO_WORKERS"); n && *n) {
        auto workers = parse_crypto_workers(n, crypto::AEAD_THREAD_SLOTS - 1);
        if (!workers)
            return fail(-1, workers.error().message);
        offloads->crypto_workers = *workers;
    }

    // The cipher library is opened (crypto/libcrypto_load.hpp) before anything is created:
    // without it the engine stops here with its name rather than at the first handshake.
    if (const std::string& why = crypto::libcrypto_load_error(); !why.empty())
        return fail(-1, why);

    auto tun = tun_fd ? TunDevice::adopt(*tun_fd, DEFAULT_MTU, *offloads)
                      : TunDevice::create(ifname, DEFAULT_MTU, *offloads);
    if (!tun)
        return fail(-1, tun.error().message);
    ifname = tun->name(); // a "wg%d" pattern is now a real name
    log.set_ifname(ifname);
    log.verbose("Starting wgx-engine version {}", VERSION);
    {
        Offloads in_use = *offloads;
        in_use.tun_vnet = tun->vnet_hdr();
        in_use.tun_uso = tun->uso();
        log.verbose("Offloads allowed: {}; crypto workers: {}", in_use.describe(),
                    in_use.io_thread ? in_use.crypto_workers : 0);
    }

    auto uapi = uapi_fd ? UapiSocket::adopt(*uapi_fd, SOCKET_DIRECTORY, ifname)
                        : UapiSocket::open(SOCKET_DIRECTORY, ifname);
    if (!uapi)
        return fail(-1, uapi.error().message);

    int ready_fd = -1;
    if (!foreground) {
        bool keep_output = level_env && *level_env && level != LogLevel::silent;
        ready_fd = daemonize(keep_output);
    }
    // After daemonize(): memory locks are not inherited across fork.
    if (auto warning = lock_memory())
        log.error("{}", *warning);

    auto engine = Engine::create(std::move(*tun), std::move(*uapi), log, *offloads);
    if (!engine)
        return fail(ready_fd, engine.error().message);
    log.verbose("Device started");
    report_to_parent(ready_fd, "ok");
    return (*engine)->run();
}

} // namespace wgx::engine
