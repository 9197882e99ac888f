#pragma once
// Transport keypairs (whitepaper §5.4.6, §6): one ChaCha20-Poly1305 context per direction, the
// sending counter, the receiving replay window, and the current/previous/next rotation.
#include <cstdint>
#include <memory>
#include <optional>

#include "base/now.hpp"
#include "crypto/aead.hpp"
#include "protocol/noise.hpp"
#include "protocol/replay_window.hpp"

namespace wgx::protocol {

/// One session's keys in both directions.
struct Keypair {
    Keypair(const SessionKeys& keys, MonoTime now);

    /// Shared so that a batch of datagrams whose sealing was deferred to the engine's I/O
    /// thread keeps it alive after the keypair is gone.
    std::shared_ptr<crypto::ChaChaPolyContext> sending;
    crypto::ChaChaPolyContext receiving;
    /// The next counter to send.
    std::uint64_t send_counter = 0;
    ReplayWindow replay;
    bool sending_valid = true;
    bool receiving_valid = true;
    bool initiator;
    std::uint32_t local_index;
    std::uint32_t remote_index;
    MonoTime birth;
    /// Unique within a Device (never reused): tells a keypair from a later one that got the
    /// same index, for work done ahead on another thread (Device::open_ahead).
    std::uint64_t serial = 0;

    /// True while packets may be sent: valid, younger than REJECT_AFTER_TIME and below
    /// REJECT_AFTER_MESSAGES.
    bool can_send(MonoTime now) const;
    /// The same for receiving.
    bool can_receive(MonoTime now) const;
};

/// A peer's three keypair slots. The responder's fresh keypair waits in `next` until the
/// initiator proves it has it (its first data packet).
struct Keypairs {
    std::unique_ptr<Keypair> current;
    std::unique_ptr<Keypair> previous;
    std::unique_ptr<Keypair> next;

    /// Installs a freshly derived keypair. Returns the indices of keypairs dropped (0 = none).
    void add(std::unique_ptr<Keypair> fresh, std::uint32_t dropped[3]);
    /// Called after authenticating a packet with `kp`: when it is `next`, it becomes current.
    /// Returns true when that happened (the handshake is then complete on the responder).
    bool received_with(const Keypair* kp, std::uint32_t& dropped);
    /// The slot holding local index `index`, or nullptr.
    Keypair* find(std::uint32_t index);
    const Keypair* find(std::uint32_t index) const;
    /// Marks the current keypair unusable for sending (private key changed).
    void expire_current();
    /// Drops all three; writes their indices to `dropped`.
    void clear(std::uint32_t dropped[3]);
};

/// Transport message size for a plaintext of `plain_len` bytes at interface MTU `mtu`:
/// the plaintext is padded to a multiple of 16 but not beyond the MTU.
std::size_t padded_length(std::size_t plain_len, unsigned mtu);
inline std::size_t transport_size(std::size_t padded_len) {
    return transport::HEADER_SIZE + padded_len + TAG_SIZE;
}

/// Writes a transport message into `out` (transport_size(padded_len) bytes): header, then
/// plaintext zero-padded to `padded_len`, sealed under `counter`. `plaintext` must not overlap
/// `out`. With `ctx` null, everything but the sealing (see seal_transport_in_place).
void seal_transport(crypto::ChaChaPolyContext* ctx, std::uint32_t receiver_index,
                    std::uint64_t counter, ByteView plaintext, std::size_t padded_len,
                    std::uint8_t* out);
/// Seals a transport message that seal_transport() wrote without a context, in place.
void seal_transport_in_place(crypto::ChaChaPolyContext& ctx, MutableByteView message);
/// Opens a transport message (already length/type-checked) into `out`, which must hold
/// message.size() - MIN_SIZE bytes. Does not touch the replay window: the caller records the
/// counter only after this returns true.
bool open_transport(const crypto::ChaChaPolyContext& ctx, ByteView message, std::uint8_t* out);

} // namespace wgx::protocol
