#pragma once
// BLAKE2s (RFC 7693) and what WireGuard builds from it: keyed MAC, HMAC and the HKDF-style KDF.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "crypto/key.hpp"

namespace wgx::crypto {

inline constexpr std::size_t HASH_LEN = 32;
inline constexpr std::size_t MAC_LEN = 16;

using Parts = std::initializer_list<std::span<const std::uint8_t>>;

/// HASH(parts...) with 32-byte output.
void blake2s_hash(std::uint8_t out[HASH_LEN], Parts parts);
/// Keyed BLAKE2s (key 1..32 bytes) with 16- or 32-byte output: MAC(key, parts...).
void blake2s_mac(std::span<std::uint8_t> out, std::span<const std::uint8_t> key, Parts parts);
/// HMAC-BLAKE2s-256.
void hmac_blake2s(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> key, Parts parts);
/// WireGuard's KDF_n(key, input): writes n (1..3) outputs of 32 bytes each.
void kdf(std::span<Key> outputs, const Key& key, std::span<const std::uint8_t> input);

} // namespace wgx::crypto
