#pragma once
// The wire formats and every constant of the WireGuard whitepaper (§5.4, §6) in one place.
// All integer fields are little-endian. Layouts are described by offsets; parsing checks the
// length, the type and the reserved bytes before any cryptography runs.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"

namespace wgx::protocol {

using namespace std::chrono_literals;

// --- Noise and MAC labels (§5.4) ---------------------------------------------------------
inline constexpr char CONSTRUCTION[] = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
inline constexpr char IDENTIFIER[] = "WireGuard v1 zx2c4 Jason@zx2c4.com";
inline constexpr char LABEL_MAC1[] = "mac1----";
inline constexpr char LABEL_COOKIE[] = "cookie--";

// --- Message types ---------------------------------------------------------------------
inline constexpr std::uint8_t MESSAGE_HANDSHAKE_INITIATION = 1;
inline constexpr std::uint8_t MESSAGE_HANDSHAKE_RESPONSE = 2;
inline constexpr std::uint8_t MESSAGE_HANDSHAKE_COOKIE = 3;
inline constexpr std::uint8_t MESSAGE_TRANSPORT_DATA = 4;

// --- Sizes -----------------------------------------------------------------------------
inline constexpr std::size_t KEY_SIZE = 32;
inline constexpr std::size_t TAG_SIZE = 16;
inline constexpr std::size_t TIMESTAMP_SIZE = 12;
inline constexpr std::size_t COOKIE_SIZE = 16;
inline constexpr std::size_t COOKIE_NONCE_SIZE = 24;
inline constexpr std::size_t MAC_SIZE = 16;

/// Handshake initiation (type 1): type, 3 reserved, sender, ephemeral, {static}, {timestamp},
/// mac1, mac2.
namespace initiation {
inline constexpr std::size_t SENDER = 4;
inline constexpr std::size_t EPHEMERAL = 8;
inline constexpr std::size_t STATIC = 40;    // 32 + 16 tag
inline constexpr std::size_t TIMESTAMP = 88; // 12 + 16 tag
inline constexpr std::size_t MAC1 = 116;
inline constexpr std::size_t MAC2 = 132;
inline constexpr std::size_t SIZE = 148;
} // namespace initiation

/// Handshake response (type 2): type, 3 reserved, sender, receiver, ephemeral, {empty}, mac1,
/// mac2.
namespace response {
inline constexpr std::size_t SENDER = 4;
inline constexpr std::size_t RECEIVER = 8;
inline constexpr std::size_t EPHEMERAL = 12;
inline constexpr std::size_t EMPTY = 44; // 0 + 16 tag
inline constexpr std::size_t MAC1 = 60;
inline constexpr std::size_t MAC2 = 76;
inline constexpr std::size_t SIZE = 92;
} // namespace response

/// Cookie reply (type 3): type, 3 reserved, receiver, nonce, {cookie}.
namespace cookie_reply {
inline constexpr std::size_t RECEIVER = 4;
inline constexpr std::size_t NONCE = 8;
inline constexpr std::size_t COOKIE = 32; // 16 + 16 tag
inline constexpr std::size_t SIZE = 64;
} // namespace cookie_reply

/// Transport data (type 4): type, 3 reserved, receiver, counter, {packet}.
namespace transport {
inline constexpr std::size_t RECEIVER = 4;
inline constexpr std::size_t COUNTER = 8;
inline constexpr std::size_t HEADER_SIZE = 16;
/// The smallest transport message: a keepalive (empty payload, just the tag).
inline constexpr std::size_t MIN_SIZE = HEADER_SIZE + TAG_SIZE;
} // namespace transport

inline constexpr std::size_t MESSAGE_PADDING_MULTIPLE = 16;

// --- Protocol constants (§6.1) -----------------------------------------------------------
inline constexpr std::uint64_t REKEY_AFTER_MESSAGES = 1ULL << 60;
/// The replay window (kernel and wireguard-go: 8192 bits, one word of which is redundant).
inline constexpr std::uint64_t REPLAY_WINDOW_BITS = 8192;
inline constexpr std::uint64_t REPLAY_WINDOW_SIZE = REPLAY_WINDOW_BITS - 64;
inline constexpr std::uint64_t REJECT_AFTER_MESSAGES = ~0ULL - REPLAY_WINDOW_SIZE - 1;
inline constexpr auto REKEY_AFTER_TIME = 120s;
inline constexpr auto REJECT_AFTER_TIME = 180s;
inline constexpr auto REKEY_ATTEMPT_TIME = 90s;
inline constexpr auto REKEY_TIMEOUT = 5s;
/// Random extra delay added to handshake retransmissions and new-handshake timers.
inline constexpr auto REKEY_TIMEOUT_JITTER_MAX = 333ms;
inline constexpr auto KEEPALIVE_TIMEOUT = 10s;
/// Retransmissions before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT.
inline constexpr unsigned MAX_TIMER_HANDSHAKES = REKEY_ATTEMPT_TIME / REKEY_TIMEOUT;
inline constexpr auto COOKIE_SECRET_MAX_AGE = 120s;
inline constexpr auto COOKIE_SECRET_LATENCY = 5s;
/// Initiations from one peer closer together than 1/50 s are dropped.
inline constexpr unsigned INITIATIONS_PER_SECOND = 50;
inline constexpr auto MIN_INITIATION_INTERVAL =
    std::chrono::nanoseconds(1s) / INITIATIONS_PER_SECOND;
/// Packets held per peer while waiting for a session; the oldest is dropped beyond this.
inline constexpr std::size_t MAX_STAGED_PACKETS = 128;
/// The engine's suggested under-load threshold: a handshake backlog of 4096 / 8 messages.
inline constexpr std::size_t MAX_QUEUED_INCOMING_HANDSHAKES = 4096;
inline constexpr std::size_t UNDER_LOAD_QUEUE_THRESHOLD = MAX_QUEUED_INCOMING_HANDSHAKES / 8;
/// How long a device stays under load after the condition last held (wireguard-go, kernel).
inline constexpr auto UNDER_LOAD_AFTER_TIME = 1s;
inline constexpr unsigned DEFAULT_MTU = 1420;

/// The message type of a datagram after the length, type and reserved-byte checks; 0 when the
/// datagram is not a well-formed WireGuard message. The engine may use this to queue handshake
/// messages separately.
inline std::uint8_t message_type(ByteView d) {
    if (d.size() < 4 || d[1] != 0 || d[2] != 0 || d[3] != 0)
        return 0;
    switch (d[0]) {
    case MESSAGE_HANDSHAKE_INITIATION:
        return d.size() == initiation::SIZE ? d[0] : 0;
    case MESSAGE_HANDSHAKE_RESPONSE:
        return d.size() == response::SIZE ? d[0] : 0;
    case MESSAGE_HANDSHAKE_COOKIE:
        return d.size() == cookie_reply::SIZE ? d[0] : 0;
    case MESSAGE_TRANSPORT_DATA:
        return d.size() >= transport::MIN_SIZE ? d[0] : 0;
    default:
        return 0;
    }
}

inline void write_header(std::uint8_t* p, std::uint8_t type) {
    p[0] = type;
    p[1] = p[2] = p[3] = 0;
}

} // namespace wgx::protocol
