#pragma once
// The userspace WireGuard device: one epoll loop over the TUN device, the UDP sockets, the UAPI
// socket and its clients, the link monitor and the signals, with the protocol core's next
// deadline as its timeout. The only code on the data path that reads a clock or touches an fd.
#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

#include "base/result.hpp"
#include "base/unique_fd.hpp"
#include "crypto/random.hpp"
#include "engine/configure.hpp"
#include "engine/crypto_workers.hpp"
#include "engine/handshake_load.hpp"
#include "engine/handshake_queue.hpp"
#include "engine/link_monitor.hpp"
#include "engine/log.hpp"
#include "engine/offloads.hpp"
#include "engine/tun_device.hpp"
#include "engine/uapi_connection.hpp"
#include "engine/uapi_socket.hpp"
#include "engine/udp_sockets.hpp"
#include "packet/coalescing.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

class Engine {
  public:
    /// Sets up everything that can fail (epoll, signals, watches); nothing runs yet.
    /// `offloads` limits what the UDP sockets may use (the TUN device negotiated its own).
    static Result<std::unique_ptr<Engine>> create(TunDevice tun, UapiSocket uapi, Logger& log,
                                                  const Offloads& offloads = {});
    ~Engine();

    /// Runs until the link is deleted, the socket file is removed, or SIGTERM/SIGINT.
    /// Returns the exit status (0: a clean shutdown).
    int run();

  private:
    Engine(TunDevice tun, UapiSocket uapi, Logger& log, const Offloads& offloads);

    Now now() const;
    void watch(int fd, std::uint32_t events);
    void unwatch(int fd);

    // Link and sockets.
    void reconcile_link(LinkState state);
    void bring_up();
    void bring_down();

    // Data path.
    void read_tun();
    /// One packet read from the TUN device (after its virtio-net header, if any).
    void on_tun_read(MutableByteView packet, Now now);
    void read_udp(int fd);
    /// Opens the transport data of the batch just received on the crypto workers.
    void open_received(Now now);
    /// One datagram: transport data and cookie replies at once, handshakes into the queue.
    void on_udp_datagram(ByteView datagram, const protocol::OpenedAhead& ahead,
                         const Endpoint& from, const std::optional<protocol::LocalSource>& local,
                         Now now);
    /// Answers up to a budget of queued handshake messages; true when some are left.
    bool answer_handshakes();
    /// Passes what the protocol produced to the crypto workers.
    void flush_output();
    /// Notes which datagrams carry WireGuard, then seals (on any crypto worker).
    void seal_batch(CryptoWorkers::Batch& b);
    /// Sends and writes a sealed batch (in order, one at a time).
    void emit_batch(CryptoWorkers::Batch& b);
    /// Sends the datagrams of `b`; those marked unfragmentable without fragmentation.
    void send_datagrams(CryptoWorkers::Batch& b);
    void write_tun_packets(protocol::Output& o);
    protocol::Output& out() { return workers_.current(); }
    /// After route or address changes: forget cached sources that routing no longer prefers.
    void recheck_sources();

    // UAPI.
    void accept_clients();
    void service_client(int fd, std::uint32_t events);
    void close_client(int fd);
    /// Answers one request on `c` (queues its reply).
    void answer(UapiConnection& c, const uapi::ServerEvent& request);
    /// The get reply: a snapshot of the state now, made into text as the client reads it.
    uapi::GetReplyEncoder handle_get();
    int handle_set(const model::Device& update);

    TunDevice tun_;
    UapiSocket uapi_;
    Logger& log_;
    crypto::SystemRandom random_;
    protocol::Device device_;
    UdpSockets sockets_;
    SocketSettings settings_;
    HandshakeLoad load_;
    std::optional<LinkMonitor> monitor_;
    LinkState link_;
    UniqueFd epoll_;
    UniqueFd signals_;
    int inotify_fd_ = -1;
    std::unordered_map<int, std::unique_ptr<UapiConnection>> clients_;
    Offloads offloads_;
    Bytes tun_buffer_;
    /// Where a TUN super-packet's segments go (packet::split).
    Bytes segments_;
    std::vector<std::size_t> segment_sizes_;
    ReceiveBatch udp_batch_;
    /// Per transport datagram of udp_batch_, in order: what opening it ahead did.
    std::vector<protocol::OpenedAhead> opened_;
    /// The transport datagrams of udp_batch_, in order, for the workers to open.
    std::vector<MutableByteView> to_open_;
    HandshakeQueue handshakes_;
    packet::Coalescer coalescer_;
    std::vector<struct iovec> iov_;
    /// Set by the emitting worker when a cached source address failed.
    std::atomic<bool> source_failed_{false};
    /// WireGuard datagrams inside the tunnel dropped because they would have been fragmented.
    std::atomic<std::uint64_t> nested_too_big_{0};
    /// Last member: its threads stop before anything they use is destroyed.
    CryptoWorkers workers_;
    bool running_ = true;
};

} // namespace wgx::engine
