#include "engine/engine.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include "protocol/messages.hpp"
#include "uapi/wgx_counters.hpp"

namespace wgx::engine {
namespace {

constexpr std::size_t BUFFER_SIZE = 65536;
/// Packets or datagrams handled per wake-up of one descriptor, so that no source starves the
/// others (the descriptors are level-triggered: the rest waits for the next round).
constexpr int BATCH = 64;
/// Clients beyond this many push out the one idle the longest.
constexpr std::size_t MAX_CLIENTS = 128;
/// How often the link is looked at even without a netlink event (it may live in another
/// namespace, whose events this one does not see).
constexpr auto LINK_POLL = std::chrono::seconds(1);

} // namespace

Engine::Engine(TunDevice tun, UapiSocket uapi, Logger& log)
    : tun_(std::move(tun)), uapi_(std::move(uapi)), log_(log), device_(random_),
      buffer_(BUFFER_SIZE) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::create(TunDevice tun, UapiSocket uapi, Logger& log) {
    std::unique_ptr<Engine> e(new Engine(std::move(tun), std::move(uapi), log));

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
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
    auto sockets = UdpSockets::open(settings_.listen_port, settings_.fwmark);
    if (!sockets) {
        log_.error("Unable to update bind: {}", sockets.error().message);
        return;
    }
    sockets_ = std::move(*sockets);
    if (sockets_.fd4() >= 0)
        watch(sockets_.fd4(), EPOLLIN);
    if (sockets_.fd6() >= 0)
        watch(sockets_.fd6(), EPOLLIN);
    log_.verbose("UDP bind has been updated");
    device_.set_up(true, now(), out_);
    flush_output();
    log_.verbose("Interface state was Down, requested Up, now Up");
}

void Engine::bring_down() {
    if (device_.is_up()) {
        device_.set_up(false, now(), out_);
        flush_output();
    }
    unwatch(sockets_.fd4());
    unwatch(sockets_.fd6());
    sockets_ = UdpSockets();
    log_.verbose("Interface state was Up, requested Down, now Down");
}

// --- Data path --------------------------------------------------------------------------

void Engine::read_tun() {
    for (int i = 0; i < BATCH; ++i) {
        long n = tun_.read(buffer_);
        if (n == -EAGAIN || n == -EINTR)
            return;
        if (n == -EBADFD) {
            reconcile_link(tun_.query());
            return;
        }
        if (n < 0) {
            log_.error("Failed to read packet from TUN device: {}", std::strerror(int(-n)));
            return;
        }
        if (!device_.is_up() || n == 0)
            continue;
        device_.on_tun_packet(ByteView(buffer_.data(), std::size_t(n)), now(), out_);
        flush_output();
    }
}

void Engine::read_udp(int fd) {
    for (int i = 0; i < BATCH; ++i) {
        Received r;
        int rc = sockets_.receive(fd, buffer_, r);
        if (rc == -EAGAIN || rc == -EWOULDBLOCK)
            return;
        if (rc < 0) {
            if (rc == -EINTR || rc == -EMSGSIZE || rc == -ECONNREFUSED)
                continue;
            return;
        }
        if (r.size == 0)
            continue;
        Now t = now();
        std::uint8_t type = buffer_[0];
        if (type == protocol::MESSAGE_HANDSHAKE_INITIATION ||
            type == protocol::MESSAGE_HANDSHAKE_RESPONSE) {
            load_.on_handshake_message(t.monotonic);
            bool loaded = load_.under_load(t.monotonic);
            if (loaded != device_.under_load())
                device_.set_under_load(loaded);
        }
        device_.on_datagram(ByteView(buffer_.data(), r.size), r.from, t, out_, r.local);
        flush_output();
    }
}

void Engine::flush_output() {
    bool source_failed = false;
    for (const auto& d : out_.datagrams()) {
        if (sockets_.is_open())
            sockets_.send(d.to, d.source, d.bytes, source_failed);
    }
    for (const auto& p : out_.tun_packets())
        tun_.write(p.bytes);
    out_.clear();
    if (source_failed)
        device_.clear_local_sources();
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
    while (auto request = c.next_request()) {
        switch (request->kind) {
        case uapi::ServerEvent::Kind::get:
            c.queue_reply(handle_get());
            break;
        case uapi::ServerEvent::Kind::set:
            c.queue_reply(uapi::encode_errno(handle_set(request->update)));
            break;
        case uapi::ServerEvent::Kind::error:
            log_.error("IPC error -{}: {}", request->code, request->message);
            c.queue_reply(uapi::encode_errno(request->code));
            break;
        case uapi::ServerEvent::Kind::close:
            log_.error("invalid UAPI operation: {}", request->message);
            break;
        case uapi::ServerEvent::Kind::wgx_counters:
            c.queue_reply(uapi::encode_wgx_counters({device_.counters().source_not_allowed}));
            break;
        }
    }
    if (!c.flush() || c.finished()) {
        close_client(fd);
        return;
    }
    std::uint32_t want = (c.wants_read() ? EPOLLIN : 0u) | (c.wants_write() ? EPOLLOUT : 0u);
    watch(fd, want);
}

std::string Engine::handle_get() {
    model::Device state = read_state(device_, settings_, sockets_.is_open() ? sockets_.port() : 0);
    state.name = tun_.name();
    return uapi::encode_get_reply(state);
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
            auto sockets = UdpSockets::open(next.listen_port, next.fwmark);
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
        sockets_ = std::move(*fresh);
        if (sockets_.fd4() >= 0)
            watch(sockets_.fd4(), EPOLLIN);
        if (sockets_.fd6() >= 0)
            watch(sockets_.fd6(), EPOLLIN);
        device_.clear_local_sources();
        log_.verbose("UDP bind has been updated");
        if (!device_.is_up()) {
            device_.set_up(true, t, out_);
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
    apply_update(update, device_, t, out_);
    flush_output();
    return 0;
}

// --- The loop ---------------------------------------------------------------------------

int Engine::run() {
    log_.verbose("UAPI listener started");
    epoll_event events[64];
    MonoTime next_poll = MonoClock::now() + LINK_POLL;
    while (running_) {
        MonoTime deadline = std::min(device_.next_deadline(), next_poll);
        auto wait = deadline - MonoClock::now();
        // Round up, so that the loop never wakes just before a deadline and spins.
        long ms = wait <= MonoClock::duration::zero()
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
                if (monitor_->drain(link_.ifindex))
                    reconcile_link(tun_.query());
            } else {
                service_client(fd, ev);
            }
        }
        if (!running_)
            break;
        Now t = now();
        if (t.monotonic >= device_.next_deadline()) {
            device_.on_deadline(t, out_);
            flush_output();
        }
        if (t.monotonic >= next_poll) {
            reconcile_link(tun_.query());
            next_poll = t.monotonic + LINK_POLL;
        }
    }
    if (device_.is_up())
        bring_down();
    log_.verbose("Shutting down");
    return 0;
}

} // namespace wgx::engine
