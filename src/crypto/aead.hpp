#pragma once
// ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce (32 zero bits + 64-bit LE counter), and
// XChaCha20-Poly1305 for cookie replies.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "crypto/key.hpp"

namespace wgx::crypto {

inline constexpr std::size_t AEAD_TAG_LEN = 16;
inline constexpr std::size_t XAEAD_NONCE_LEN = 24;

/// What a ChaChaPolyContext is for: a transport keypair only seals with its sending key and
/// only opens with its receiving key, so it sets up OpenSSL contexts for one direction.
enum class AeadUse { seal, open, both };

/// How many threads may use one ChaChaPolyContext at the same time: each holds its own OpenSSL
/// context in the slot its thread was given (set_aead_thread_slot).
inline constexpr unsigned AEAD_THREAD_SLOTS = 16;

/// Gives the calling thread slot `slot` (< AEAD_THREAD_SLOTS) of every ChaChaPolyContext. A
/// thread that never calls this uses slot 0. No two threads that seal or open at the same time
/// may share a slot; the engine numbers its crypto workers from 1.
void set_aead_thread_slot(unsigned slot);

/// A reusable ChaCha20-Poly1305 context bound to one key (OpenSSL EVP; libsodium for messages
/// of up to 256 bytes, where it is faster): no key schedule and no allocation per packet. Threads
/// in different slots may seal and open with it at the same time (a keypair's packets are sealed or
/// opened on several cores at once): each slot has its own OpenSSL context, made the first time
/// that slot uses it (slot 0's with the context) and cleansed with it.
class ChaChaPolyContext {
  public:
    /// seal() on a context made for open only (or the reverse) aborts.
    explicit ChaChaPolyContext(const Key& key, AeadUse use = AeadUse::both);
    ~ChaChaPolyContext();
    ChaChaPolyContext(ChaChaPolyContext&&) noexcept;
    ChaChaPolyContext& operator=(ChaChaPolyContext&&) noexcept;

    /// out must hold plaintext.size() + 16 bytes; may alias plaintext exactly.
    void seal(std::uint64_t counter, std::span<const std::uint8_t> plaintext,
              std::span<const std::uint8_t> ad, std::uint8_t* out) const;
    /// out must hold ciphertext.size() - 16 bytes; may alias ciphertext exactly.
    /// False when the tag does not verify (then out holds garbage).
    [[nodiscard]] bool open(std::uint64_t counter, std::span<const std::uint8_t> ciphertext,
                            std::span<const std::uint8_t> ad, std::uint8_t* out) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// RFC 8439 with an explicit 96-bit nonce (OpenSSL); the forms below derive it from a counter.
void chacha20poly1305_seal(const Key& key, std::span<const std::uint8_t, 12> nonce,
                           std::span<const std::uint8_t> plaintext,
                           std::span<const std::uint8_t> ad, std::uint8_t* out);
[[nodiscard]] bool chacha20poly1305_open(const Key& key, std::span<const std::uint8_t, 12> nonce,
                                         std::span<const std::uint8_t> ciphertext,
                                         std::span<const std::uint8_t> ad, std::uint8_t* out);

/// One-shot forms for the handshake (OpenSSL).
void aead_seal(const Key& key, std::uint64_t counter, std::span<const std::uint8_t> plaintext,
               std::span<const std::uint8_t> ad, std::uint8_t* out);
[[nodiscard]] bool aead_open(const Key& key, std::uint64_t counter,
                             std::span<const std::uint8_t> ciphertext,
                             std::span<const std::uint8_t> ad, std::uint8_t* out);

/// XChaCha20-Poly1305 (libsodium), used for the cookie reply.
void xaead_seal(const Key& key, std::span<const std::uint8_t, XAEAD_NONCE_LEN> nonce,
                std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> ad,
                std::uint8_t* out);
[[nodiscard]] bool xaead_open(const Key& key, std::span<const std::uint8_t, XAEAD_NONCE_LEN> nonce,
                              std::span<const std::uint8_t> ciphertext,
                              std::span<const std::uint8_t> ad, std::uint8_t* out);

} // namespace wgx::crypto
