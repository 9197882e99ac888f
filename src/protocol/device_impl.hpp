#pragma once
// The Device's private state and the operations shared by device.cpp (configuration),
// send.cpp, receive.cpp and timers.cpp (the event hooks). Not part of the public API.
#include <memory>
#include <vector>

#include "protocol/allowed_ips.hpp"
#include "protocol/cookie.hpp"
#include "protocol/device.hpp"
#include "protocol/noise.hpp"
#include "protocol/peer.hpp"
#include "protocol/peer_index.hpp"
#include "protocol/ratelimiter.hpp"
#include "protocol/timers.hpp"

namespace wgx::protocol {

struct Device::Impl {
    explicit Impl(crypto::Random& r) : random(r) {}

    crypto::Random& random;
    StaticIdentity identity;
    CookieChecker cookie_checker;
    Ratelimiter ratelimiter;
    /// Under load, the cookie replies each source gets (see receive.cpp).
    Ratelimiter cookie_reply_limiter;
    AllowedIps allowed_ips;
    PeerIndex index;
    TimerQueue timer_queue;
    /// Peers by PeerId; freed slots are reused (their serials differ).
    std::vector<std::unique_ptr<Peer>> peers;
    std::vector<PeerId> free_ids;
    std::uint64_t next_serial = 1;
    std::uint64_t next_keypair_serial = 1;
    unsigned mtu = DEFAULT_MTU;
    bool under_load = false;
    bool up = false;
    DeviceCounters counters;

    Peer* find(const Key& public_key);
    Peer* by_id(PeerId id) { return id < peers.size() ? peers[id].get() : nullptr; }
    const Peer* by_id(PeerId id) const { return id < peers.size() ? peers[id].get() : nullptr; }
    void erase_peer(Peer& p);
    /// Drops the handshake, keypairs, staged packets and timers of a peer.
    void reset_sessions(Peer& p);
    void release_handshake_index(Peer& p);
    void install_keypair(Peer& p, const SessionKeys& keys, MonoTime now);
    void update_endpoint(Peer& p, const Endpoint& from, const std::optional<LocalSource>& local);

    // send.cpp
    void send_datagram(Peer& p, ByteView bytes, Output& out);
    /// Encrypts and sends the staged packets, or starts a handshake when there is no usable
    /// session (keeping them staged).
    void send_staged(Peer& p, Now now, Output& out);
    void send_keepalive(Peer& p, Now now, Output& out);
    /// Encrypts one packet under `kp` into a datagram to the peer (no timer hooks).
    void seal_to_peer(Peer& p, Keypair& kp, ByteView plain, Output& out);
    void send_handshake_initiation(Peer& p, bool is_retry, Now now, Output& out);
    void send_handshake_response(Peer& p, Now now, Output& out);
    void keep_key_fresh_after_send(Peer& p, Now now, Output& out);
    void on_tun_packet(ByteView packet, Now now, Output& out);

    // receive.cpp
    void on_datagram(ByteView d, const Endpoint& from, Now now, Output& out,
                     const std::optional<LocalSource>& local, const OpenedAhead& ahead = {});
    void receive_cookie_reply(ByteView d, Now now);
    void receive_initiation(ByteView d, const Endpoint& from, Now now, Output& out,
                            const std::optional<LocalSource>& local);
    void receive_response(ByteView d, const Endpoint& from, Now now, Output& out,
                          const std::optional<LocalSource>& local);
    void receive_transport(ByteView d, const Endpoint& from, Now now, Output& out,
                           const std::optional<LocalSource>& local, const OpenedAhead& ahead);
    /// The keypair that may open transport message `d` now (index known, keypair usable,
    /// counter not yet seen); nullptr otherwise. Changes nothing.
    const Keypair* receiving_keypair(ByteView d, Now now) const;
    OpenedAhead open_ahead(MutableByteView d, Now now) const;

    // timers.cpp: the event hooks, named for the event (whitepaper §6, kernel timers.c).
    void arm(Peer& p, Timer t, MonoTime when);
    void on_data_sent(Peer& p, Now now);
    void on_data_received(Peer& p, Now now);
    void on_any_authenticated_packet_sent(Peer& p);
    void on_any_authenticated_packet_received(Peer& p);
    void on_any_authenticated_packet_traversal(Peer& p, Now now);
    void on_handshake_initiated(Peer& p, Now now);
    void on_handshake_complete(Peer& p, Now now);
    void on_session_derived(Peer& p, Now now);
    void on_deadline(Now now, Output& out);
    /// The earliest armed deadline, after dropping heap entries of disarmed or moved timers.
    MonoTime next_deadline();
    void fire(Peer& p, Timer t, Now now, Output& out);
    MonoTime jitter(MonoTime t);
};

} // namespace wgx::protocol
