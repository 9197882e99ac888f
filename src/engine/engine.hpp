#pragma once
// The userspace WireGuard device: one epoll loop over the TUN device, the UDP sockets, the UAPI
// socket and its clients, the link monitor and the signals, with the protocol core's next
// deadline as its timeout. The only code on the data path that reads a clock or touches an fd.
#include <memory>
#include <string>
#include <unordered_map>

#include "base/result.hpp"
#include "base/unique_fd.hpp"
#include "crypto/random.hpp"
#include "engine/configure.hpp"
#include "engine/handshake_load.hpp"
#include "engine/link_monitor.hpp"
#include "engine/log.hpp"
#include "engine/tun_device.hpp"
#include "engine/uapi_connection.hpp"
#include "engine/uapi_socket.hpp"
#include "engine/udp_sockets.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

class Engine {
  public:
    /// Sets up everything that can fail (epoll, signals, watches); nothing runs yet.
    static Result<std::unique_ptr<Engine>> create(TunDevice tun, UapiSocket uapi, Logger& log);
    ~Engine();

    /// Runs until the link is deleted, the socket file is removed, or SIGTERM/SIGINT.
    /// Returns the exit status (0: a clean shutdown).
    int run();

  private:
    Engine(TunDevice tun, UapiSocket uapi, Logger& log);

    Now now() const;
    void watch(int fd, std::uint32_t events);
    void unwatch(int fd);

    // Link and sockets.
    void reconcile_link(LinkState state);
    void bring_up();
    void bring_down();

    // Data path.
    void read_tun();
    void read_udp(int fd);
    void flush_output();

    // UAPI.
    void accept_clients();
    void service_client(int fd, std::uint32_t events);
    void close_client(int fd);
    SecretString handle_get();
    int handle_set(const model::Device& update);

    TunDevice tun_;
    UapiSocket uapi_;
    Logger& log_;
    crypto::SystemRandom random_;
    protocol::Device device_;
    protocol::Output out_;
    UdpSockets sockets_;
    SocketSettings settings_;
    HandshakeLoad load_;
    std::optional<LinkMonitor> monitor_;
    LinkState link_;
    UniqueFd epoll_;
    UniqueFd signals_;
    int inotify_fd_ = -1;
    std::unordered_map<int, std::unique_ptr<UapiConnection>> clients_;
    Bytes buffer_;
    bool running_ = true;
    bool sources_failed_ = false;
};

} // namespace wgx::engine
