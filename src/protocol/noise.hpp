#pragma once
// Noise_IKpsk2 as WireGuard uses it (whitepaper §5.4.2-§5.4.5): create/consume pairs for the
// handshake initiation and response, and the derivation of the transport keys. The MAC fields
// are left to cookie.hpp; indices and the choice of peer to the device.
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"
#include "base/now.hpp"
#include "crypto/key.hpp"
#include "crypto/random.hpp"
#include "crypto/tai64n.hpp"

namespace wgx::protocol {

using crypto::Key;

/// Our static key pair; `present` is false while the device has no private key.
struct StaticIdentity {
    bool present = false;
    Key private_key;
    Key public_key;

    void set(const std::optional<Key>& private_key);
};

enum class HandshakeState {
    zeroed,
    created_initiation,
    consumed_initiation,
    created_response,
    consumed_response,
};

/// One peer's handshake state. The static parts (remote key, precomputed DH, preshared key,
/// latest timestamp) survive clear(); the ephemeral parts do not.
struct Handshake {
    HandshakeState state = HandshakeState::zeroed;
    Key remote_static;
    /// DH(our static, their static), computed when either key changes; zero for a low-order
    /// peer key or while we have no private key (then every handshake fails).
    Key precomputed_static_static;
    /// Zero when the peer has no preshared key.
    Key preshared_key;
    Key ephemeral_private;
    Key remote_ephemeral;
    Key hash;
    Key chaining_key;
    std::uint32_t local_index = 0;
    std::uint32_t remote_index = 0;
    /// The newest initiation timestamp accepted from this peer (replay protection).
    crypto::Tai64n latest_timestamp{};
    std::optional<MonoTime> last_initiation_consumption;

    /// Recomputes precomputed_static_static from our identity and remote_static.
    void precompute(const StaticIdentity& identity);
    /// Forgets the ephemeral state (keeps keys, psk, timestamp and flood state).
    void clear();
};

/// The transport keys a completed handshake yields.
struct SessionKeys {
    Key send;
    Key receive;
    bool initiator = false;
    std::uint32_t local_index = 0;
    std::uint32_t remote_index = 0;
};

/// Writes a handshake initiation into `out` (initiation::SIZE bytes; MACs zeroed) and moves the
/// handshake to created_initiation. False when we have no identity or a DH result is zero.
bool create_initiation(Handshake& hs, const StaticIdentity& identity, crypto::Random& random,
                       WallTime wall, std::uint32_t sender_index, std::uint8_t* out);

/// What the first half of consuming an initiation learns: enough to find the peer by its
/// static key. The second half (consume_initiation_finish) needs that peer's handshake.
struct InitiationInProgress {
    Key hash;
    Key chaining_key;
    Key key;
    Key remote_ephemeral;
    Key remote_static;
    std::uint32_t sender_index = 0;
};

/// Decrypts the initiator's static key (`msg` is initiation::SIZE bytes, MAC1 already checked).
bool consume_initiation_start(const StaticIdentity& identity, const std::uint8_t* msg,
                              InitiationInProgress& st);
/// Finishes with the peer's handshake: ss, the timestamp, the replay and flood checks. On success
/// the handshake is in consumed_initiation; on failure it is unchanged.
bool consume_initiation_finish(Handshake& hs, InitiationInProgress& st, const std::uint8_t* msg,
                               MonoTime now);

/// Writes a handshake response (response::SIZE bytes; MACs zeroed) to a consumed initiation.
bool create_response(Handshake& hs, crypto::Random& random, std::uint32_t sender_index,
                     std::uint8_t* out);

/// Consumes a response to our initiation; on success the handshake is in consumed_response, on
/// failure it is unchanged.
bool consume_response(Handshake& hs, const StaticIdentity& identity, const std::uint8_t* msg);

/// After create_response or consume_response: derives the transport keys and clears the
/// handshake. nullopt in any other state.
std::optional<SessionKeys> begin_session(Handshake& hs);

} // namespace wgx::protocol
