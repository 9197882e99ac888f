#pragma once
// Secrets are a type: zeroed on destruction, compared in constant time, never formatted by
// accident.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/secret_string.hpp"

namespace wgx::crypto {

inline constexpr std::size_t KEY_LEN = 32;
inline constexpr std::size_t KEY_LEN_BASE64 = 44;
inline constexpr std::size_t KEY_LEN_HEX = 64;

/// Overwrites memory in a way the compiler may not elide.
void secure_zero(void* p, std::size_t n);
/// Constant-time equality of two equal-length buffers.
bool equal_ct(const std::uint8_t* a, const std::uint8_t* b, std::size_t n);

/// A 32-byte key (private, public or preshared). There is deliberately no operator<< and no
/// fmt formatter: printing a key takes an explicit to_base64()/to_hex().
class Key {
  public:
    Key() = default;
    explicit Key(std::span<const std::uint8_t, KEY_LEN> b);
    Key(const Key& o) = default;
    Key& operator=(const Key& o) = default;
    ~Key() { secure_zero(bytes_.data(), bytes_.size()); }

    /// Exactly 44 characters of standard base64 ending in '=', with canonical padding bits.
    static std::optional<Key> from_base64(std::string_view text);
    /// Exactly 64 hex digits (UAPI).
    static std::optional<Key> from_hex(std::string_view text);
    std::string to_base64() const;
    /// Lowercase hex, as the UAPI protocol sends keys.
    std::string to_hex() const;
    /// The same texts in wiping memory: what a private or preshared key is printed with.
    SecretString secret_base64() const;
    SecretString secret_hex() const;

    bool is_zero() const;
    std::uint8_t* data() { return bytes_.data(); }
    const std::uint8_t* data() const { return bytes_.data(); }
    static constexpr std::size_t size() { return KEY_LEN; }
    std::span<const std::uint8_t, KEY_LEN> view() const { return bytes_; }
    std::span<std::uint8_t, KEY_LEN> mut_view() { return bytes_; }

    /// Constant time.
    friend bool operator==(const Key& a, const Key& b) {
        return equal_ct(a.bytes_.data(), b.bytes_.data(), KEY_LEN);
    }
    /// Lexicographic order of the raw bytes (for sorting public keys; not secret data).
    bool less_than(const Key& o) const { return bytes_ < o.bytes_; }

  private:
    std::array<std::uint8_t, KEY_LEN> bytes_{};
};

/// Hash of a key for unordered containers of *public* keys.
struct PublicKeyHash {
    std::size_t operator()(const Key& k) const noexcept;
};

} // namespace wgx::crypto
