#pragma once
// ChaCha20-Poly1305 with WireGuard's nonce through libsodium: a second implementation to
// cross-check (and benchmark) the OpenSSL path the product uses. Test and bench code only.
#include <cstdint>
#include <span>

#include <sodium.h>

#include "crypto/key.hpp"

namespace wgx::test {

inline void aead_seal_sodium(const crypto::Key& key, std::uint64_t counter,
                             std::span<const std::uint8_t> plaintext,
                             std::span<const std::uint8_t> ad, std::uint8_t* out) {
    std::uint8_t nonce[12] = {};
    for (int i = 0; i < 8; ++i)
        nonce[4 + i] = std::uint8_t(counter >> (8 * i));
    unsigned long long clen = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, plaintext.data(), plaintext.size(),
                                              ad.data(), ad.size(), nullptr, nonce, key.data());
}

} // namespace wgx::test
