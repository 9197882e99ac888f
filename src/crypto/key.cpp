#include "crypto/key.hpp"

#include <cstring>
#include <sodium.h>

namespace wgx::crypto {

namespace {
struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0)
            std::abort();
    }
};
const SodiumInit sodium_once;
} // namespace

void secure_zero(void* p, std::size_t n) {
    sodium_memzero(p, n);
}

bool equal_ct(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
    return sodium_memcmp(a, b, n) == 0;
}

Key::Key(std::span<const std::uint8_t, KEY_LEN> b) {
    std::memcpy(bytes_.data(), b.data(), KEY_LEN);
}

std::optional<Key> Key::from_base64(std::string_view text) {
    // wg accepts exactly 44 characters ending in '='; libsodium's decoder is constant time and
    // rejects non-zero padding bits, as wg's does.
    if (text.size() != KEY_LEN_BASE64 || text[KEY_LEN_BASE64 - 1] != '=')
        return std::nullopt;
    Key k;
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(k.bytes_.data(), KEY_LEN, text.data(), text.size(), nullptr, &len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != KEY_LEN || end != text.data() + text.size())
        return std::nullopt;
    return k;
}

std::optional<Key> Key::from_hex(std::string_view text) {
    if (text.size() != KEY_LEN_HEX)
        return std::nullopt;
    Key k;
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(k.bytes_.data(), KEY_LEN, text.data(), text.size(), nullptr, &len, &end) !=
            0 ||
        len != KEY_LEN || end != text.data() + text.size())
        return std::nullopt;
    return k;
}

std::string Key::to_base64() const {
    char buf[sodium_base64_ENCODED_LEN(KEY_LEN, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(buf, sizeof buf, bytes_.data(), KEY_LEN, sodium_base64_VARIANT_ORIGINAL);
    std::string out(buf);
    sodium_memzero(buf, sizeof buf);
    return out;
}

std::string Key::to_hex() const {
    char buf[KEY_LEN_HEX + 1];
    sodium_bin2hex(buf, sizeof buf, bytes_.data(), KEY_LEN);
    std::string out(buf);
    sodium_memzero(buf, sizeof buf);
    return out;
}

SecretString Key::secret_base64() const {
    static_assert(sodium_base64_ENCODED_LEN(KEY_LEN, sodium_base64_VARIANT_ORIGINAL) ==
                  KEY_LEN_BASE64 + 1);
    // Both encoders end with a NUL, which lands on the string's own terminator.
    SecretString out(KEY_LEN_BASE64, '\0');
    sodium_bin2base64(out.data(), out.size() + 1, bytes_.data(), KEY_LEN,
                      sodium_base64_VARIANT_ORIGINAL);
    return out;
}

SecretString Key::secret_hex() const {
    SecretString out(KEY_LEN_HEX, '\0');
    sodium_bin2hex(out.data(), out.size() + 1, bytes_.data(), KEY_LEN);
    return out;
}

bool Key::is_zero() const {
    return sodium_is_zero(bytes_.data(), KEY_LEN) == 1;
}

std::size_t PublicKeyHash::operator()(const Key& k) const noexcept {
    std::size_t h;
    std::memcpy(&h, k.data(), sizeof h);
    return h;
}

} // namespace wgx::crypto
