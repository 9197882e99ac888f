#pragma once
// A peer: its keys, endpoint, handshake, keypairs, timers, staged packets and counters.
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "base/now.hpp"
#include "protocol/allowed_ips.hpp"
#include "protocol/cookie.hpp"
#include "protocol/device.hpp"
#include "protocol/keypair.hpp"
#include "protocol/noise.hpp"
#include "protocol/timers.hpp"

namespace wgx::protocol {

/// Packets waiting for a session: a bounded ring whose buffers are reused, the oldest dropped
/// when full.
class StagedQueue {
  public:
    explicit StagedQueue(std::size_t capacity = MAX_STAGED_PACKETS) : capacity_(capacity) {}
    /// Copies `packet` in; returns true when the oldest packet had to be dropped for it.
    bool push(ByteView packet);
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    /// The i-th oldest packet.
    const Bytes& at(std::size_t i) const { return slots_[(head_ + i) % capacity_]; }
    /// Drops the `n` oldest packets.
    void pop(std::size_t n);
    void clear() { head_ = size_ = 0; }

  private:
    std::size_t capacity_;
    std::vector<Bytes> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

struct Peer {
    PeerId id = 0;
    /// Unique for the device's lifetime; orders peers() by creation.
    std::uint64_t serial = 0;
    Key public_key;
    bool has_preshared_key = false;
    std::optional<Endpoint> endpoint;
    std::optional<LocalSource> local_source;
    std::uint16_t persistent_keepalive = 0;

    Handshake handshake;
    CookieMaker cookie;
    Keypairs keypairs;
    PeerTimers timers;
    StagedQueue staged;
    std::optional<MonoTime> last_sent_handshake;
    std::optional<WallTime> last_handshake;
    std::uint64_t rx_bytes = 0;
    std::uint64_t tx_bytes = 0;
    /// Decrypted packets dropped because their inner source is not among this peer's allowed
    /// IPs (or they are not IPv4/IPv6): not in rx_bytes, unlike wireguard-go.
    std::uint64_t source_not_allowed = 0;
};

} // namespace wgx::protocol
