#pragma once
// The protocol core's facade, in the ngtcp2 shape: bytes and `now` in; datagrams to send, packets
// for the TUN device and the next deadline out. The engine owns sockets, TUN and the clock; this
// owns every piece of WireGuard state. Nothing here blocks, reads a clock or touches an fd.
//
// Contract with the caller (the engine):
//  - Every call that takes `Output& out` appends to `out`; the caller sends/writes what it holds
//    and then calls out.clear() (which keeps the buffers, so the steady state allocates nothing).
//  - After ANY call (events and configuration alike) the next deadline may have moved: re-read
//    next_deadline() and call on_deadline() once the monotonic clock reaches it.
//  - `now` must never go backwards between calls.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "base/now.hpp"
#include "crypto/aead.hpp"
#include "crypto/key.hpp"
#include "crypto/random.hpp"

namespace wgx::protocol {

using crypto::Key;

/// The local address a datagram arrived on, and so the one to answer from (IP_PKTINFO /
/// IPV6_PKTINFO): the kernel's "endpoint source" that keeps replies on the address the peer
/// talks to. `ifindex` is 0 when unknown.
struct LocalSource {
    IpAddress address;
    unsigned ifindex = 0;

    bool operator==(const LocalSource&) const = default;
};

/// What one call produced. Caller-owned and reusable: clear() keeps the allocated buffers.
class Output {
  public:
    /// A UDP datagram to send to `to`, from `source` when known (else any local address).
    struct Datagram {
        Endpoint to;
        std::optional<LocalSource> source;
        Bytes bytes;
        /// With deferred sealing: the context that still has to seal this transport message
        /// (held alive by the Output); nullptr when the datagram is complete.
        crypto::ChaChaPolyContext* unsealed = nullptr;
    };
    /// A decrypted IP packet to write to the TUN device.
    struct TunPacket {
        Bytes bytes;
    };

    std::span<Datagram> datagrams() { return {datagrams_.data(), n_datagrams_}; }
    std::span<const Datagram> datagrams() const { return {datagrams_.data(), n_datagrams_}; }
    std::span<TunPacket> tun_packets() { return {packets_.data(), n_packets_}; }
    std::span<const TunPacket> tun_packets() const { return {packets_.data(), n_packets_}; }
    bool empty() const { return n_datagrams_ == 0 && n_packets_ == 0; }
    /// Forgets the contents, keeps the buffers.
    void clear() {
        n_datagrams_ = n_packets_ = 0;
        held_.clear();
    }

    /// When on, transport messages are written complete but for their encryption, which
    /// seal_deferred() does later, possibly on another thread: the protocol's thread does the
    /// bookkeeping, the engine's crypto workers the ChaCha20-Poly1305 work.
    void set_deferred_sealing(bool on) { deferred_ = on; }
    bool deferred_sealing() const { return deferred_; }
    /// Marks the last datagram as still to be sealed by `ctx` (kept alive until clear()).
    void defer_seal_of_last(const std::shared_ptr<crypto::ChaChaPolyContext>& ctx) {
        if (held_.empty() || held_.back() != ctx)
            held_.push_back(ctx);
        datagrams_[n_datagrams_ - 1].unsealed = ctx.get();
    }
    /// Seals every datagram marked by defer_seal_of_last(). One thread at a time per Output;
    /// the contexts must not be in use elsewhere meanwhile.
    void seal_deferred();

    /// Appends a datagram of `size` bytes (contents unspecified) and returns its buffer.
    Bytes& add_datagram(const Endpoint& to, const std::optional<LocalSource>& source,
                        std::size_t size) {
        if (n_datagrams_ == datagrams_.size())
            datagrams_.emplace_back();
        Datagram& d = datagrams_[n_datagrams_++];
        d.to = to;
        d.source = source;
        d.unsealed = nullptr;
        d.bytes.resize(size);
        return d.bytes;
    }
    /// Appends a TUN packet of `size` bytes (contents unspecified) and returns its buffer.
    Bytes& add_tun_packet(std::size_t size) {
        if (n_packets_ == packets_.size())
            packets_.emplace_back();
        TunPacket& p = packets_[n_packets_++];
        p.bytes.resize(size);
        return p.bytes;
    }

    /// Takes back the last add_tun_packet() (a packet that failed a later check).
    void drop_last_tun_packet() {
        if (n_packets_ > 0)
            --n_packets_;
    }

  private:
    std::vector<Datagram> datagrams_;
    std::size_t n_datagrams_ = 0;
    std::vector<TunPacket> packets_;
    std::size_t n_packets_ = 0;
    bool deferred_ = false;
    std::vector<std::shared_ptr<crypto::ChaChaPolyContext>> held_;
};

/// What Device::open_ahead() did to a transport data message.
struct OpenedAhead {
    enum class Result : std::uint8_t {
        untouched, ///< not opened (not transport data, or no keypair may take it): bytes as read
        opened,    ///< authentic: the plaintext has replaced the ciphertext, at the same offset
        failed,    ///< did not authenticate; the bytes are garbage now
    };
    Result result = Result::untouched;
    /// The serial of the keypair that opened it (Keypair::serial), for any result but untouched.
    std::uint64_t keypair = 0;
};

/// A peer's state as UAPI "get" reports it.
struct PeerInfo {
    Key public_key;
    /// Absent when the peer has no preshared key (UAPI prints zeros then).
    std::optional<Key> preshared_key;
    std::optional<Endpoint> endpoint;
    /// Seconds; 0 = off.
    std::uint16_t persistent_keepalive = 0;
    /// In the order they were added (what `wg showconf` prints).
    std::vector<IpPrefix> allowed_ips;
    /// Wall time of the last completed handshake; absent when none yet.
    std::optional<WallTime> last_handshake;
    std::uint64_t rx_bytes = 0;
    std::uint64_t tx_bytes = 0;
    /// Packets dropped for an inner source outside the allowed IPs: never in a get reply (wg
    /// rejects unknown keys), only in wgx's own counters request.
    std::uint64_t source_not_allowed = 0;
};

/// Device-wide counters of what was dropped and why (for logs and tests).
struct DeviceCounters {
    /// Datagrams too short, of an unknown type, or with nonzero reserved bytes.
    std::uint64_t malformed = 0;
    /// Handshake messages with a bad MAC1 (or a bad/missing MAC2 under load).
    std::uint64_t bad_mac = 0;
    /// Handshake messages that failed decryption, named an unknown peer, were replays, or came
    /// too fast from one peer.
    std::uint64_t handshake_rejected = 0;
    /// Handshake messages dropped by the per-source rate limiter.
    std::uint64_t rate_limited = 0;
    /// Cookie replies sent because we were under load.
    std::uint64_t cookie_replies_sent = 0;
    /// Handshake messages without a valid MAC2, under load, left unanswered because their
    /// source had its share of cookie replies.
    std::uint64_t cookie_replies_limited = 0;
    /// Transport messages for an unknown receiver index, failing authentication, replayed,
    /// out of the replay window, or on an expired keypair.
    std::uint64_t transport_rejected = 0;
    /// Decrypted packets that were not valid IPv4/IPv6, or whose inner source address is not
    /// among the sending peer's allowed IPs.
    std::uint64_t source_not_allowed = 0;
    /// TUN packets with no peer for their destination, or a peer without an endpoint.
    std::uint64_t no_route = 0;
    /// Staged packets dropped because the queue was full or the handshake gave up.
    std::uint64_t staged_dropped = 0;
};

/// Which session secrets a peer holds right now, without exposing any of them: for diagnostics
/// and tests (e.g. to observe the erasure of all key material 3 * REJECT_AFTER_TIME after the
/// last handshake). UAPI "get" does not report this.
struct SessionState {
    /// Which keypair slots hold transport keys (expired ones included until they are dropped).
    bool current_keypair = false;
    bool previous_keypair = false;
    /// The responder's keypair waiting for the initiator's first data packet.
    bool next_keypair = false;
    /// A handshake is half-way (ephemeral private key and chaining state held).
    bool handshake = false;

    bool holds_key_material() const {
        return current_keypair || previous_keypair || next_keypair || handshake;
    }
    bool operator==(const SessionState&) const = default;
};

struct DeviceTestAccess;

/// A WireGuard interface's protocol state: identity, peers, sessions, timers, routing.
class Device {
  public:
    /// `random` supplies ephemeral keys, sender indices, cookie secrets and timer jitter; it must
    /// outlive the Device. The device starts down, with no key, no peers and MTU 1420.
    explicit Device(crypto::Random& random);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    // --- Configuration (what a UAPI "set" applies) ---------------------------------------

    /// Sets or clears (nullopt, or an all-zero key) the static private key, stored clamped
    /// (a non-canonical scalar reads back canonical, as in the references). Recomputes every
    /// peer's static-static DH, expires current sessions, and removes a peer whose public key
    /// equals our new public key.
    void set_private_key(const std::optional<Key>& private_key);
    std::optional<Key> private_key() const;
    std::optional<Key> public_key() const;

    /// Creates a peer (no-op when it exists). Returns false, adding nothing, when the key
    /// equals our own public key: the references silently ignore such a peer, so the engine
    /// should skip the rest of that peer's settings.
    bool add_peer(const Key& public_key);
    bool has_peer(const Key& public_key) const;
    /// Removes the peer, its allowed IPs, sessions and staged packets. False when unknown.
    bool remove_peer(const Key& public_key);
    void remove_all_peers();

    // Per-peer settings; each returns false when the peer does not exist.

    /// nullopt or an all-zero key clears the preshared key.
    bool set_preshared_key(const Key& peer, const std::optional<Key>& preshared_key);
    /// Sets the endpoint and forgets the cached local source address.
    bool set_endpoint(const Key& peer, const Endpoint& endpoint);
    /// Seconds, 0 = off. Turning it on while the device is up sends a keepalive at once
    /// (starting a handshake when there is no session), as the kernel does.
    bool set_persistent_keepalive(const Key& peer, std::uint16_t seconds, Now now, Output& out);
    /// Removes all of the peer's allowed IPs (UAPI replace_allowed_ips=true).
    bool remove_all_allowed_ips(const Key& peer);
    /// Adds a prefix (host bits masked); a prefix owned by another peer moves to this one.
    bool add_allowed_ip(const Key& peer, const IpPrefix& prefix);
    /// Removes the prefix (host bits masked) only if this peer owns it.
    bool remove_allowed_ip(const Key& peer, const IpPrefix& prefix);

    /// The interface MTU, used to pad outgoing packets; may change at any time.
    void set_mtu(unsigned mtu);
    unsigned mtu() const;

    /// While true, handshake messages need a valid MAC2 (else they get a cookie reply) and are
    /// rate-limited per source address. The engine decides (see the report in issue 5).
    void set_under_load(bool under_load);
    bool under_load() const;

    /// Up: datagrams and TUN packets are processed, persistent keepalives start (sent now).
    /// Down: every session, handshake, staged packet and timer is dropped; inputs are ignored.
    void set_up(bool up, Now now, Output& out);
    bool is_up() const;

    /// Forgets every peer's cached local source address (call when the sockets are rebound,
    /// e.g. after a listen-port change or when local addresses change).
    void clear_local_sources();
    /// Asks `still_preferred(endpoint, source)` about every peer's cached local source and
    /// forgets those it rejects, so that the next datagram leaves as routing now chooses.
    /// The engine rejects a source when the route to the endpoint from it no longer leaves
    /// through the interface the source was learned on (a better route appeared), as the
    /// kernel's socket code does.
    void recheck_local_sources(
        const std::function<bool(const Endpoint&, const LocalSource&)>& still_preferred);

    // --- Events -------------------------------------------------------------------------

    /// A UDP datagram arrived from `from`, on local address `local` when known.
    void on_datagram(ByteView datagram, const Endpoint& from, Now now, Output& out,
                     const std::optional<LocalSource>& local = std::nullopt);
    /// Decrypts transport data message `datagram` in place, ahead of on_datagram(), so that the
    /// ChaCha20-Poly1305 work of a batch can run on several threads: thread-safe with itself,
    /// and with nothing else (call it from any number of threads while no other call on this
    /// Device runs). Changes no state: the replay window, timers, endpoint and counters move
    /// only when on_datagram(datagram, result, ...) is then called, in order, on the
    /// protocol's thread (which drops the packet when the keypair that opened it is gone).
    OpenedAhead open_ahead(MutableByteView datagram, Now now) const;
    /// on_datagram() for a datagram that went through open_ahead().
    void on_datagram(ByteView datagram, const OpenedAhead& ahead, const Endpoint& from, Now now,
                     Output& out, const std::optional<LocalSource>& local = std::nullopt);
    /// An IP packet was read from the TUN device.
    void on_tun_packet(ByteView packet, Now now, Output& out);
    /// Runs every timer due at or before `now`.
    void on_deadline(Now now, Output& out);
    /// When on_deadline() must next be called; MonoTime::max() when no timer is armed.
    MonoTime next_deadline() const;

    // --- Read-back (what a UAPI "get" reports) ----------------------------------------

    /// All peers, in the order they were added.
    std::vector<PeerInfo> peers() const;
    std::optional<PeerInfo> peer(const Key& public_key) const;
    const DeviceCounters& counters() const;

    // --- Diagnostics --------------------------------------------------------------------

    /// The session secrets `peer` holds (see SessionState); nullopt when the peer is unknown.
    /// Read-only and off the data path.
    std::optional<SessionState> session_state(const Key& peer) const;

  private:
    /// Test-only hooks, defined only in tests/support/device_test_access.hpp.
    friend struct DeviceTestAccess;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace wgx::protocol
