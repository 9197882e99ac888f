#include "engine/engine.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "engine/nested_tunnel.hpp"
#include "engine/source_preference.hpp"
#include "packet/segmentation.hpp"
#include "packet/virtio_net_hdr.hpp"
#include "protocol/messages.hpp"
#include "uapi/wgx_counters.hpp"

namespace wgx::engine {
namespace {
/// Calls f(datagram, slot) for every datagram of a received batch, in order: each slot holds
/// one datagram, or a GRO run of segment_size-byte ones.
template <class F>
void for_each_datagram(ReceiveBatch& batch, F f) {
    for (auto& slot : batch.received())
        for (std::size_t off = 0; off < slot.size; off += slot.segment_size)
            f(MutableByteView(slot.buffer.data() + off,
                              std::min<std::size_t>(slot.segment_size, slot.size - off)),
              slot);
}

/// A TUN super-packet: 64 KB of IP packet behind the virtio-net header.
constexpr std::size_t TUN_BUFFER_SIZE = 65536 + packet::VIRTIO_NET_HDR_SIZE;
/// Room for the segments of one super-packet: its payload plus one header copy per segment.
constexpr std::size_t SEGMENTS_SIZE = 65536 + 128 * 256;
/// Reads (TUN packets, or UDP batches) per wake-up of one descriptor, so that no source
/// starves the others (the descriptors are level-triggered: the rest waits for the next round).
constexpr int BATCH = 64;
/// recvmmsg slots, each large enough for a GRO batch of datagrams.
constexpr std::size_t UDP_SLOTS = 16;
constexpr std::size_t UDP_SLOT_SIZE = 65536;
/// UDP batches read per wake-up.
constexpr int UDP_ROUNDS = 8;
/// Datagrams held before they are sent, within one batch.
constexpr std::size_t FLUSH_AT = 256;
/// Handshake messages answered per turn of the loop: data read in between goes first.
constexpr int HANDSHAKE_BUDGET = 32;
/// Clients beyond this many push out the one idle the longest.
constexpr std::size_t MAX_CLIENTS = 128;
/// How often the link is looked at even without a netlink event (it may live in another
/// namespace, whose events this one does not see).
constexpr auto LINK_POLL = std::chrono::seconds(1);
/// The same while the link is down in another namespace: bringing it up there must bind the
/// sockets soon, because a peer's first handshake is only retried after REKEY_TIMEOUT.
constexpr auto LINK_POLL_FOREIGN_DOWN = std::chrono::milliseconds(50);

} // namespace

Engine::Engine(TunDevice tun, UapiSocket uapi, Logger& log, const Offloads& offloads)
    : tun_(std::move(tun)), uapi_(std::move(uapi)), log_(log), device_(random_),
      offloads_(offloads), tun_buffer_(TUN_BUFFER_SIZE), segments_(SEGMENTS_SIZE),
      segment_sizes_(256), udp_batch_(UDP_SLOTS, UDP_SLOT_SIZE),
      coalescer_(packet::CoalesceOptions{true, tun_.uso()}),
      workers_([this](CryptoWorkers::Batch& b) { seal_batch(b); },
               [this](CryptoWorkers::Batch& b) { emit_batch(b); },
               offloads.io_thread ? offloads.crypto_workers : 0) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::create(TunDevice tun, UapiSocket uapi, Logger& log,
                                               const Offloads& offloads) {
    // Blocked before any thread starts (the crypto workers inherit the mask), so that
    // only the signalfd sees them.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    std::unique_ptr<Engine> e(new Engine(std::move(tun), std::move(uapi), log, offloads));

    ::signal(SIGPIPE, SIG_IGN);
    e->signals_ = UniqueFd(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    e->epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (!e->signals_ || !e->epoll_)
        return make_error(fmt::format("Failed to set up the event loop: {}", std::strerror(errno)),
                          errno);
    auto inotify = e->uapi_.watch();
    if (!inotify)
        return inotify.error();
    e->inotify_fd_ = *inotify;

    if (auto monitor = LinkMonitor::open())
        e->monitor_.emplace(std::move(*monitor));
    else
        log.error("{}", monitor.error().message);

    e->watch(e->tun_.fd(), EPOLLIN);
    e->watch(e->uapi_.fd(), EPOLLIN);
    e->watch(e->signals_.get(), EPOLLIN);
    e->watch(e->inotify_fd_, EPOLLIN);
    if (e->monitor_)
        e->watch(e->monitor_->fd(), EPOLLIN);

    LinkState state = e->tun_.query();
    e->device_.set_mtu(state.mtu);
    e->link_ = LinkState{state.exists, false, state.mtu, state.ifindex, state.foreign_namespace};
    e->reconcile_link(state);
    return e;
}

Now Engine::now() const {
    return Now{MonoClock::now(), WallClock::now()};
}

void Engine::watch(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0 && errno == EEXIST)
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev);
}

void Engine::unwatch(int fd) {
    if (fd >= 0)
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

// --- Link and sockets -------------------------------------------------------------------

void Engine::reconcile_link(LinkState state) {
    if (!state.exists) {
        log_.verbose("Interface was deleted");
        running_ = false;
        return;
    }
    if (state.foreign_namespace != link_.foreign_namespace)
        log_.verbose("Interface moved {}", state.foreign_namespace
                                               ? "to another network namespace"
                                               : "back to our network namespace");
    if (state.mtu != device_.mtu()) {
        log_.verbose("MTU updated: {}", state.mtu);
        device_.set_mtu(state.mtu);
    }
    bool requested_before = link_.up;
    link_ = state;
    if (state.up && !requested_before) {
        log_.verbose("Interface up requested");
        bring_up();
    } else if (!state.up && requested_before) {
        log_.verbose("Interface down requested");
        bring_down();
    }
}

void Engine::bring_up() {
    auto sockets = UdpSockets::open(settings_.listen_port, settings_.fwmark, offloads_);
    if (!sockets) {
        log_.error("Unable to update bind: {}", sockets.error().message);
        return;
    }
    workers_.drain(); // the workers send through sockets_
    sockets_ = std::move(*sockets);
    if (sockets_.fd4() >= 0)
        watch(sockets_.fd4(), EPOLLIN);
    if (sockets_.fd6() >= 0)
        watch(sockets_.fd6(), EPOLLIN);
    log_.verbose("UDP bind has been updated");
    device_.set_up(true, now(), out());
    flush_output();
    log_.verbose("Interface state was Down, requested Up, now Up");
}

void Engine::bring_down() {
    if (device_.is_up()) {
        device_.set_up(false, now(), out());
        flush_output();
    }
    unwatch(sockets_.fd4());
    unwatch(sockets_.fd6());
    workers_.drain();
    sockets_ = UdpSockets();
    log_.verbose("Interface state was Up, requested Down, now Down");
}

// --- Data path --------------------------------------------------------------------------

void Engine::read_tun() {
    Now t = now();
    for (int i = 0; i < BATCH; ++i) {
        long n = tun_.read(tun_buffer_);
        if (n == -EAGAIN || n == -EINTR)
            break;
        if (n == -EBADFD) {
            reconcile_link(tun_.query());
            break;
        }
        if (n < 0) {
            log_.error("Failed to read packet from TUN device: {}", std::strerror(int(-n)));
            break;
        }
        std::size_t header = tun_.vnet_hdr() ? packet::VIRTIO_NET_HDR_SIZE : 0;
        if (std::size_t(n) <= header)
            continue;
        if (!device_.is_up()) {
            // The kernel hands a TUN packets only while the link is up: whatever the engine last
            // saw of it (from another namespace it learns of changes only by polling), it is up.
            LinkState state = tun_.query();
            state.up = state.up || state.exists;
            reconcile_link(state);
            if (!device_.is_up())
                continue;
        }
        on_tun_read(MutableByteView(tun_buffer_.data(), std::size_t(n)), t);
        if (out().datagrams().size() >= FLUSH_AT)
            flush_output();
    }
    flush_output();
}

void Engine::on_tun_read(MutableByteView bytes, Now t) {
    if (!tun_.vnet_hdr()) {
        device_.on_tun_packet(bytes, t, out());
        return;
    }
    packet::VirtioNetHdr hdr = packet::consume_virtio_net_hdr(bytes);
    MutableByteView ip = bytes.subspan(packet::VIRTIO_NET_HDR_SIZE);
    if (hdr.gso_type == packet::VIRTIO_NET_HDR_GSO_NONE) {
        // A peer without offloads (or the kernel's own checks) needs a complete checksum.
        if (hdr.flags & packet::VIRTIO_NET_HDR_F_NEEDS_CSUM)
            packet::complete_checksum(hdr, ip);
        device_.on_tun_packet(ip, t, out());
        return;
    }
    std::size_t stride = std::size_t(hdr.gso_size) + 128;
    packet::SegmentArea area{segments_.data(), stride, stride,
                             std::min(segment_sizes_.size(), segments_.size() / stride),
                             segment_sizes_.data()};
    int count = packet::split(hdr, ip, area);
    if (count < 0) {
        log_.verbose("Dropping a malformed super-packet from the TUN device");
        return;
    }
    for (int k = 0; k < count; ++k)
        device_.on_tun_packet(
            ByteView(segments_.data() + std::size_t(k) * stride, segment_sizes_[std::size_t(k)]), t,
            out());
}

void Engine::read_udp(int fd) {
    for (int round = 0; round < UDP_ROUNDS; ++round) {
        int got = sockets_.receive_batch(fd, udp_batch_);
        if (got < 0) {
            if (got == -EINTR || got == -ECONNREFUSED)
                continue;
            break;
        }
        Now t = now();
        bool ahead = open_received(t);
        std::size_t transport = 0;
        for_each_datagram(udp_batch_, [&](ByteView d, const ReceiveBatch::Slot& slot) {
            bool opened = ahead && protocol::message_type(d) == protocol::MESSAGE_TRANSPORT_DATA;
            on_udp_datagram(d, opened ? opened_[transport++] : protocol::OpenedAhead{}, slot.from,
                            slot.local, t);
        });
        flush_output();
        if (std::size_t(got) < UDP_SLOTS)
            break; // drained
    }
}

bool Engine::open_received(Now t) {
    // With one worker (two cores) the worker is busy sealing and writing, and decrypting here,
    // straight into the output, costs least: handing it part of each batch cost 15-20% more
    // CPU per GB in tools/bench tunnel, for no more throughput. With more workers the batch
    // is opened on all of them first.
    if (workers_.workers() < 2)
        return false;
    // Every transport message of the batch, in order; the protocol core then takes them in
    // that order on this thread, with the results.
    to_open_.clear();
    for_each_datagram(udp_batch_, [&](MutableByteView d, const ReceiveBatch::Slot&) {
        if (protocol::message_type(d) == protocol::MESSAGE_TRANSPORT_DATA)
            to_open_.push_back(d);
    });
    opened_.assign(to_open_.size(), protocol::OpenedAhead{});
    workers_.run_parallel(to_open_.size(), [this, t](std::size_t i) {
        opened_[i] = device_.open_ahead(to_open_[i], t);
    });
    return true;
}

void Engine::on_udp_datagram(ByteView d, const protocol::OpenedAhead& ahead, const Endpoint& from,
                             const std::optional<protocol::LocalSource>& local, Now t) {
    if (d.empty())
        return;
    std::uint8_t type = d[0];
    bool handshake =
        (type == protocol::MESSAGE_HANDSHAKE_INITIATION &&
         d.size() == protocol::initiation::SIZE) ||
        (type == protocol::MESSAGE_HANDSHAKE_RESPONSE && d.size() == protocol::response::SIZE);
    if (!handshake) {
        // Transport data, cookie replies and anything malformed: cheap, handled at once.
        device_.on_datagram(d, ahead, from, t, out(), local);
        return;
    }
    load_.on_handshake_message(t.monotonic);
    handshakes_.push(d, from, local);
}

bool Engine::answer_handshakes() {
    if (handshakes_.empty())
        return false;
    Now t = now();
    // Under load (a burst of handshakes, or a backlog) MAC2 is required: senders get cookie
    // replies, which are cheap, instead of Curve25519 work.
    bool loaded =
        load_.under_load(t.monotonic) || handshakes_.size() >= HandshakeQueue::CAPACITY / 8;
    if (loaded != device_.under_load())
        device_.set_under_load(loaded);
    for (int i = 0; i < HANDSHAKE_BUDGET && !handshakes_.empty(); ++i) {
        const HandshakeQueue::Entry* e = handshakes_.front();
        device_.on_datagram(e->message(), e->from, t, out(), e->local);
        handshakes_.pop();
    }
    flush_output();
    return !handshakes_.empty();
}

void Engine::recheck_sources() {
    SourcePreference preference(settings_.fwmark);
    device_.recheck_local_sources([&](const Endpoint& to, const protocol::LocalSource& source) {
        return preference.still_preferred(to, source);
    });
}

void Engine::flush_output() {
    workers_.submit();
    if (source_failed_.exchange(false, std::memory_order_relaxed))
        device_.clear_local_sources();
}

void Engine::seal_batch(CryptoWorkers::Batch& b) {
    // While the plaintext is still at hand (sealing comes next): a tunnel inside the tunnel.
    b.unfragmentable.clear();
    for (const auto& d : b.output.datagrams())
        b.unfragmentable.push_back(carries_wireguard(d));
    b.output.seal_deferred();
}

void Engine::emit_batch(CryptoWorkers::Batch& b) {
    if (!b.output.datagrams().empty() && sockets_.is_open())
        send_datagrams(b);
    write_tun_packets(b.output);
}

void Engine::send_datagrams(CryptoWorkers::Batch& b) {
    bool source_failed = false;
    auto datagrams = b.output.datagrams();
    const std::vector<bool>& nested = b.unfragmentable;
    std::size_t run = 0; // first datagram of the run of plain ones not yet sent
    for (std::size_t i = 0; i <= datagrams.size(); ++i) {
        if (i < datagrams.size() && !nested[i])
            continue;
        if (i > run)
            sockets_.send_batch(datagrams.subspan(run, i - run), source_failed);
        run = i + 1;
        if (i == datagrams.size())
            break;
        // A WireGuard datagram inside the tunnel is never split: a looping packet grows on
        // every pass, and fragments would double it each time instead of letting it die at
        // the MTU. Too big for the path, it is dropped (and counted).
        const auto& d = datagrams[i];
        if (sockets_.send(d.to, d.source, d.bytes, source_failed,
                          UdpSockets::Fragmentation::forbidden) == -EMSGSIZE)
            nested_too_big_.fetch_add(1, std::memory_order_relaxed);
    }
    if (source_failed)
        source_failed_.store(true, std::memory_order_relaxed);
}

void Engine::write_tun_packets(protocol::Output& o) {
    auto packets = o.tun_packets();
    if (packets.empty())
        return;
    if (!tun_.vnet_hdr()) {
        for (const auto& p : packets)
            tun_.write(p.bytes);
        return;
    }
    // Consecutive segments of one flow go to the kernel as one super-packet.
    coalescer_.clear();
    for (auto& p : packets)
        coalescer_.add(MutableByteView(p.bytes));
    for (const packet::CoalescedWrite& w : coalescer_.finish()) {
        iov_.clear();
        for (ByteView part : w.parts)
            iov_.push_back(iovec{const_cast<std::uint8_t*>(part.data()), part.size()});
        tun_.write(iov_.data(), int(iov_.size()));
    }
    coalescer_.clear();
}

// --- UAPI -------------------------------------------------------------------------------

void Engine::accept_clients() {
    for (int i = 0; i < BATCH; ++i) {
        UniqueFd fd(::accept4(uapi_.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd)
            return;
        MonoTime t = MonoClock::now();
        if (clients_.size() >= MAX_CLIENTS) {
            auto oldest = std::min_element(clients_.begin(), clients_.end(), [](auto& a, auto& b) {
                return a.second->last_active() < b.second->last_active();
            });
            close_client(oldest->first);
        }
        int raw = fd.get();
        clients_.emplace(raw, std::make_unique<UapiConnection>(std::move(fd), t));
        watch(raw, EPOLLIN);
    }
}

void Engine::close_client(int fd) {
    unwatch(fd);
    clients_.erase(fd);
}

void Engine::service_client(int fd, std::uint32_t events) {
    auto it = clients_.find(fd);
    if (it == clients_.end())
        return;
    UapiConnection& c = *it->second;
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && c.wants_read() &&
        !c.read_some(MonoClock::now())) {
        close_client(fd);
        return;
    }
    // Answer, write, and answer what the written replies made room for; a client that keeps
    // the socket full (or pipelines many gets) comes back through EPOLLOUT, so the loop goes
    // back to packets in between.
    for (int round = 0; round < 4; ++round) {
        while (c.ready_for_request()) {
            auto request = c.next_request();
            if (!request)
                break;
            answer(c, *request);
        }
        if (!c.flush()) {
            close_client(fd);
            return;
        }
        if (!c.ready_for_request() || !c.has_request())
            break;
    }
    if (c.finished()) {
        close_client(fd);
        return;
    }
    std::uint32_t want = (c.wants_read() ? EPOLLIN : 0u) | (c.wants_write() ? EPOLLOUT : 0u);
    watch(fd, want);
}

void Engine::answer(UapiConnection& c, const uapi::ServerEvent& request) {
    switch (request.kind) {
    case uapi::ServerEvent::Kind::get:
        c.queue_get_reply(handle_get());
        break;
    case uapi::ServerEvent::Kind::set:
        c.queue_reply(uapi::encode_errno(handle_set(request.update)));
        break;
    case uapi::ServerEvent::Kind::error:
        log_.error("IPC error -{}: {}", request.code, request.message);
        c.queue_reply(uapi::encode_errno(request.code));
        break;
    case uapi::ServerEvent::Kind::close:
        log_.error("invalid UAPI operation: {}", request.message);
        break;
    case uapi::ServerEvent::Kind::wgx_counters: {
        uapi::WgxCounters counters = read_counters(device_);
        counters.nested_too_big = nested_too_big_.load(std::memory_order_relaxed);
        c.queue_reply(uapi::encode_wgx_counters(counters));
    } break;
    }
}

uapi::GetReplyEncoder Engine::handle_get() {
    model::Device state = read_state(device_, settings_, sockets_.is_open() ? sockets_.port() : 0);
    state.name = tun_.name();
    return uapi::GetReplyEncoder(std::move(state));
}

int Engine::handle_set(const model::Device& update) {
    // Everything that can fail happens first, on the side; then the whole update is applied.
    SocketSettings next = settings_;
    if (update.listen_port)
        next.listen_port = *update.listen_port;
    if (update.fwmark)
        next.fwmark = *update.fwmark;
    bool mark_changed = next.fwmark != settings_.fwmark;
    std::optional<UdpSockets> fresh;
    if (link_.up && (update.listen_port || mark_changed)) {
        // A listen_port line rebinds (0: to a new random port), as in the references; the port
        // the sockets already have is kept, not rebound.
        bool rebind =
            !sockets_.is_open() ||
            (update.listen_port && (next.listen_port == 0 || next.listen_port != sockets_.port()));
        if (rebind) {
            auto sockets = UdpSockets::open(next.listen_port, next.fwmark, offloads_);
            if (!sockets) {
                log_.error("IPC error -{}: failed to set listen_port: {}", uapi::kErrPortInUse,
                           sockets.error().message);
                return uapi::kErrPortInUse;
            }
            fresh.emplace(std::move(*sockets));
        } else if (auto r = sockets_.set_fwmark(next.fwmark); !r) {
            (void)sockets_.set_fwmark(settings_.fwmark);
            log_.error("IPC error -{}: failed to update fwmark: {}", uapi::kErrPortInUse,
                       r.error().message);
            return uapi::kErrPortInUse;
        }
    }

    settings_ = next;
    Now t = now();
    if (fresh) {
        unwatch(sockets_.fd4());
        unwatch(sockets_.fd6());
        workers_.drain();
        sockets_ = std::move(*fresh);
        if (sockets_.fd4() >= 0)
            watch(sockets_.fd4(), EPOLLIN);
        if (sockets_.fd6() >= 0)
            watch(sockets_.fd6(), EPOLLIN);
        device_.clear_local_sources();
        log_.verbose("UDP bind has been updated");
        if (!device_.is_up()) {
            device_.set_up(true, t, out());
            log_.verbose("Interface state was Down, requested Up, now Up");
        }
    }
    if (log_.verbose_enabled()) {
        if (update.private_key)
            log_.verbose("UAPI: Updating private key");
        for (const model::Peer& p : update.peers)
            log_.verbose("{} - UAPI: {}", peer_log_name(p.public_key),
                         p.remove ? "Removing" : "Updating");
    }
    apply_update(update, device_, t, out());
    flush_output();
    return 0;
}

// --- The loop ---------------------------------------------------------------------------

int Engine::run() {
    log_.verbose("UAPI listener started");
    epoll_event events[64];
    MonoTime last_poll = MonoClock::now();
    bool backlog = false; // handshakes left over: look at the descriptors, then go on at once
    while (running_) {
        MonoTime next_poll =
            last_poll + (link_.foreign_namespace && !link_.up ? LINK_POLL_FOREIGN_DOWN : LINK_POLL);
        MonoTime deadline = std::min(device_.next_deadline(), next_poll);
        auto wait = deadline - MonoClock::now();
        // Round up, so that the loop never wakes just before a deadline and spins.
        long ms = wait <= MonoClock::duration::zero() || backlog
                      ? 0
                      : long(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
        int n = ::epoll_wait(epoll_.get(), events, 64, int(std::min(ms, 1000L)));
        if (n < 0 && errno != EINTR) {
            log_.error("epoll_wait: {}", std::strerror(errno));
            return 1;
        }
        for (int i = 0; i < n && running_; ++i) {
            int fd = events[i].data.fd;
            std::uint32_t ev = events[i].events;
            if (fd == tun_.fd()) {
                if (ev & EPOLLIN)
                    read_tun();
                if (ev & (EPOLLERR | EPOLLHUP))
                    reconcile_link(tun_.query());
            } else if (fd == sockets_.fd4() || fd == sockets_.fd6()) {
                read_udp(fd);
            } else if (fd == uapi_.fd()) {
                accept_clients();
            } else if (fd == signals_.get()) {
                signalfd_siginfo info;
                while (::read(signals_.get(), &info, sizeof info) == sizeof info)
                    running_ = false;
            } else if (fd == inotify_fd_) {
                if (!uapi_.still_present()) {
                    log_.verbose("UAPI socket was removed");
                    running_ = false;
                }
            } else if (monitor_ && fd == monitor_->fd()) {
                MonitorEvents seen = monitor_->drain(link_.ifindex);
                if (seen.link)
                    reconcile_link(tun_.query());
                if (seen.routes)
                    recheck_sources();
            } else {
                service_client(fd, ev);
            }
        }
        if (!running_)
            break;
        backlog = answer_handshakes();
        Now t = now();
        if (t.monotonic >= device_.next_deadline()) {
            device_.on_deadline(t, out());
            flush_output();
        }
        if (t.monotonic >= next_poll) {
            reconcile_link(tun_.query());
            last_poll = t.monotonic;
        }
    }
    if (device_.is_up())
        bring_down();
    log_.verbose("Shutting down");
    return 0;
}

} // namespace wgx::engine
