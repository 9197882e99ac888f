#include "protocol/device.hpp"

#include <algorithm>

#include "crypto/x25519.hpp"
#include "protocol/device_impl.hpp"

namespace wgx::protocol {

// --- Impl helpers shared by the other files ----------------------------------------------

Peer* Device::Impl::find(const Key& public_key) {
    auto id = index.find_key(public_key);
    return id ? by_id(*id) : nullptr;
}

void Device::Impl::release_handshake_index(Peer& p) {
    // A handshake's index is the index of the keypair it becomes; release it only while it
    // still names the handshake.
    std::uint32_t i = p.handshake.local_index;
    if (const auto* e = index.find_index(i); e && e->handshake && e->peer == p.id)
        index.release(i);
    p.handshake.local_index = 0;
}

void Device::Impl::reset_sessions(Peer& p) {
    release_handshake_index(p);
    p.handshake.clear();
    std::uint32_t dropped[3];
    p.keypairs.clear(dropped);
    for (auto i : dropped)
        index.release(i);
    p.staged.clear();
    for (std::size_t t = 0; t < TIMER_COUNT; ++t)
        TimerQueue::disarm(p.timers, Timer(t));
    p.timers.handshake_attempts = 0;
    p.timers.need_another_keepalive = false;
    p.timers.sent_lastminute_handshake = false;
    p.last_sent_handshake.reset();
}

void Device::Impl::erase_peer(Peer& p) {
    reset_sessions(p);
    allowed_ips.remove_peer(p.id);
    index.remove_key(p.public_key);
    PeerId id = p.id;
    peers[id].reset();
    free_ids.push_back(id);
}

void Device::Impl::install_keypair(Peer& p, const SessionKeys& keys, MonoTime now) {
    std::uint32_t dropped[3];
    auto fresh = std::make_unique<Keypair>(keys, now);
    fresh->serial = next_keypair_serial++;
    p.keypairs.add(std::move(fresh), dropped);
    for (auto i : dropped)
        if (i != keys.local_index)
            index.release(i);
    index.relabel(keys.local_index, PeerIndex::Entry{p.id, false});
    p.handshake.local_index = 0;
}

void Device::Impl::update_endpoint(Peer& p, const Endpoint& from,
                                   const std::optional<LocalSource>& local) {
    p.endpoint = from;
    p.local_source = local;
}

// --- Device ------------------------------------------------------------------------------

Device::Device(crypto::Random& random) : impl_(std::make_unique<Impl>(random)) {}
Device::~Device() = default;

void Device::set_private_key(const std::optional<Key>& private_key) {
    Impl& d = *impl_;
    std::optional<Key> key = private_key;
    if (key && key->is_zero())
        key.reset();
    // Stored and reported clamped, as the kernel and wireguard-go do (`showconf` then prints
    // the canonical scalar); the public key is the same either way.
    if (key)
        crypto::clamp_private_key(*key);
    if (key ? (d.identity.present && d.identity.private_key == *key) : !d.identity.present)
        return; // unchanged: keep every session
    StaticIdentity next;
    next.set(key);
    if (next.present)
        if (Peer* self = d.find(next.public_key))
            d.erase_peer(*self);
    d.identity = next;
    d.cookie_checker.set_public_key(next.present ? std::optional<Key>(next.public_key)
                                                 : std::nullopt);
    for (auto& p : d.peers) {
        if (!p)
            continue;
        p->handshake.precompute(d.identity);
        // Sessions made under the old identity may no longer send; a new handshake starts as
        // soon as there is something to send.
        d.release_handshake_index(*p);
        p->handshake.clear();
        p->last_sent_handshake.reset();
        p->keypairs.expire_current();
    }
}

std::optional<Key> Device::private_key() const {
    return impl_->identity.present ? std::optional<Key>(impl_->identity.private_key) : std::nullopt;
}

std::optional<Key> Device::public_key() const {
    return impl_->identity.present ? std::optional<Key>(impl_->identity.public_key) : std::nullopt;
}

bool Device::add_peer(const Key& public_key) {
    Impl& d = *impl_;
    if (d.identity.present && d.identity.public_key == public_key)
        return false;
    if (d.find(public_key))
        return true;
    PeerId id;
    if (!d.free_ids.empty()) {
        id = d.free_ids.back();
        d.free_ids.pop_back();
    } else {
        id = PeerId(d.peers.size());
        d.peers.emplace_back();
    }
    auto p = std::make_unique<Peer>();
    p->id = id;
    p->serial = d.next_serial++;
    p->public_key = public_key;
    p->handshake.remote_static = public_key;
    p->handshake.precompute(d.identity);
    p->cookie.set_peer_public_key(public_key);
    d.peers[id] = std::move(p);
    d.index.add_key(public_key, id);
    return true;
}

bool Device::has_peer(const Key& public_key) const {
    return impl_->find(public_key) != nullptr;
}

bool Device::remove_peer(const Key& public_key) {
    Peer* p = impl_->find(public_key);
    if (!p)
        return false;
    impl_->erase_peer(*p);
    return true;
}

void Device::remove_all_peers() {
    for (auto& p : impl_->peers)
        if (p)
            impl_->erase_peer(*p);
}

bool Device::set_preshared_key(const Key& peer, const std::optional<Key>& preshared_key) {
    Peer* p = impl_->find(peer);
    if (!p)
        return false;
    p->has_preshared_key = preshared_key && !preshared_key->is_zero();
    p->handshake.preshared_key = p->has_preshared_key ? *preshared_key : Key();
    return true;
}

bool Device::set_endpoint(const Key& peer, const Endpoint& endpoint) {
    Peer* p = impl_->find(peer);
    if (!p)
        return false;
    impl_->update_endpoint(*p, endpoint, std::nullopt);
    return true;
}

bool Device::set_persistent_keepalive(const Key& peer, std::uint16_t seconds, Now now,
                                      Output& out) {
    Peer* p = impl_->find(peer);
    if (!p)
        return false;
    bool turned_on = p->persistent_keepalive == 0 && seconds != 0;
    p->persistent_keepalive = seconds;
    if (seconds == 0)
        TimerQueue::disarm(p->timers, Timer::persistent_keepalive);
    if (turned_on && impl_->up)
        impl_->send_keepalive(*p, now, out);
    return true;
}

bool Device::remove_all_allowed_ips(const Key& peer) {
    Peer* p = impl_->find(peer);
    if (!p)
        return false;
    impl_->allowed_ips.remove_peer(p->id);
    return true;
}

bool Device::add_allowed_ip(const Key& peer, const IpPrefix& prefix) {
    Peer* p = impl_->find(peer);
    return p && impl_->allowed_ips.insert(prefix, p->id);
}

bool Device::remove_allowed_ip(const Key& peer, const IpPrefix& prefix) {
    Peer* p = impl_->find(peer);
    if (!p)
        return false;
    impl_->allowed_ips.remove(prefix, p->id);
    return true;
}

void Device::set_mtu(unsigned mtu) {
    impl_->mtu = mtu;
}
unsigned Device::mtu() const {
    return impl_->mtu;
}
void Device::set_under_load(bool under_load) {
    impl_->under_load = under_load;
}
bool Device::under_load() const {
    return impl_->under_load;
}
bool Device::is_up() const {
    return impl_->up;
}

void Device::set_up(bool up, Now now, Output& out) {
    Impl& d = *impl_;
    if (up == d.up)
        return;
    d.up = up;
    if (!up) {
        for (auto& p : d.peers)
            if (p)
                d.reset_sessions(*p);
        d.timer_queue.clear();
        for (auto& p : d.peers)
            if (p)
                p->timers.queued.fill(std::nullopt);
        return;
    }
    for (auto& p : d.peers)
        if (p && p->persistent_keepalive)
            d.send_keepalive(*p, now, out);
}

void Device::clear_local_sources() {
    for (auto& p : impl_->peers)
        if (p)
            p->local_source.reset();
}

void Device::recheck_local_sources(
    const std::function<bool(const Endpoint&, const LocalSource&)>& still_preferred) {
    for (auto& p : impl_->peers)
        if (p && p->local_source && p->endpoint && !still_preferred(*p->endpoint, *p->local_source))
            p->local_source.reset();
}

void Device::on_datagram(ByteView datagram, const Endpoint& from, Now now, Output& out,
                         const std::optional<LocalSource>& local) {
    impl_->on_datagram(datagram, from, now, out, local);
}

OpenedAhead Device::open_ahead(MutableByteView datagram, Now now) const {
    return impl_->open_ahead(datagram, now);
}

void Device::on_datagram(ByteView datagram, const OpenedAhead& ahead, const Endpoint& from, Now now,
                         Output& out, const std::optional<LocalSource>& local) {
    impl_->on_datagram(datagram, from, now, out, local, ahead);
}

void Device::on_tun_packet(ByteView packet, Now now, Output& out) {
    impl_->on_tun_packet(packet, now, out);
}

void Device::on_deadline(Now now, Output& out) {
    impl_->on_deadline(now, out);
}

MonoTime Device::next_deadline() const {
    return impl_->next_deadline();
}

namespace {
PeerInfo info_of(const Peer& p, const AllowedIps& allowed_ips) {
    PeerInfo i;
    i.public_key = p.public_key;
    if (p.has_preshared_key)
        i.preshared_key = p.handshake.preshared_key;
    i.endpoint = p.endpoint;
    i.persistent_keepalive = p.persistent_keepalive;
    i.allowed_ips = allowed_ips.prefixes_of(p.id);
    i.last_handshake = p.last_handshake;
    i.rx_bytes = p.rx_bytes;
    i.tx_bytes = p.tx_bytes;
    i.source_not_allowed = p.source_not_allowed;
    return i;
}
} // namespace

std::vector<PeerInfo> Device::peers() const {
    std::vector<const Peer*> live;
    for (const auto& p : impl_->peers)
        if (p)
            live.push_back(p.get());
    std::sort(live.begin(), live.end(),
              [](const Peer* a, const Peer* b) { return a->serial < b->serial; });
    std::vector<PeerInfo> out;
    out.reserve(live.size());
    for (const Peer* p : live)
        out.push_back(info_of(*p, impl_->allowed_ips));
    return out;
}

std::optional<PeerInfo> Device::peer(const Key& public_key) const {
    const Peer* p = impl_->find(public_key);
    if (!p)
        return std::nullopt;
    return info_of(*p, impl_->allowed_ips);
}

const DeviceCounters& Device::counters() const {
    return impl_->counters;
}

std::optional<SessionState> Device::session_state(const Key& peer) const {
    const Peer* p = impl_->find(peer);
    if (!p)
        return std::nullopt;
    SessionState s;
    s.current_keypair = p->keypairs.current != nullptr;
    s.previous_keypair = p->keypairs.previous != nullptr;
    s.next_keypair = p->keypairs.next != nullptr;
    s.handshake = p->handshake.state != HandshakeState::zeroed;
    return s;
}

} // namespace wgx::protocol
