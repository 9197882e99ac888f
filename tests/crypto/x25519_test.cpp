// public_key_of goes through the Edwards fixed-base multiplication and the birational map; it
// must equal libsodium's Montgomery fixed-base ladder bit for bit on every scalar.
#include <doctest/doctest.h>

#include <array>
#include <vector>

#include <sodium.h>

#include "crypto/x25519.hpp"
#include "support/fake_random.hpp"

using wgx::crypto::Key;

namespace {
Key montgomery_public_key(const Key& private_key) {
    Key pub;
    crypto_scalarmult_curve25519_base(pub.data(), private_key.data());
    return pub;
}
Key filled(std::uint8_t b) {
    std::array<std::uint8_t, 32> bytes;
    bytes.fill(b);
    return Key(bytes);
}
} // namespace

TEST_CASE("x25519: public_key_of equals the Montgomery ladder on random private keys") {
    REQUIRE(sodium_init() >= 0);
    wgx::test::FakeRandom rng(7748);
    int mismatches = 0;
    for (int i = 0; i < 5000; ++i) {
        // Clamped (as generated) and raw 32-byte strings: public_key_of clamps as X25519 does.
        Key k = i % 2 ? wgx::crypto::generate_private_key(rng)
                      : wgx::crypto::generate_preshared_key(rng);
        if (!(wgx::crypto::public_key_of(k) == montgomery_public_key(k)))
            ++mismatches;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("x25519: public_key_of equals the Montgomery ladder on edge scalars") {
    REQUIRE(sodium_init() >= 0);
    std::vector<Key> edges = {filled(0x00), filled(0xff), filled(0x80),
                              filled(0x7f), filled(0x01), filled(0xf8)};
    // The smallest and largest clamped scalars, 2^254 and 2^255 - 8, and 2^254 + 8.
    Key low;
    low.data()[31] = 0x40;
    edges.push_back(low);
    Key low8 = low;
    low8.data()[0] = 8;
    edges.push_back(low8);
    // Scalars near multiples of the group order L = 2^252 + 27742317777372353535851937790883648493
    // (little-endian): 4L lies in the clamped range, 4L + 8 is clamped as it stands.
    const std::uint8_t order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                    0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    Key four_l;
    unsigned carry = 0;
    for (int i = 0; i < 32; ++i) {
        unsigned v = unsigned(order[i]) * 4 + carry;
        four_l.data()[i] = std::uint8_t(v);
        carry = v >> 8;
    }
    edges.push_back(four_l);
    Key four_l8 = four_l;
    four_l8.data()[0] = std::uint8_t(four_l8.data()[0] + 8);
    edges.push_back(four_l8);
    for (int bit = 0; bit < 256; bit += 3) {
        Key k;
        k.data()[bit / 8] = std::uint8_t(1 << (bit % 8));
        edges.push_back(k);
    }
    for (const Key& k : edges) {
        CAPTURE(k.to_hex());
        CHECK(wgx::crypto::public_key_of(k) == montgomery_public_key(k));
    }
}

TEST_CASE("x25519: public keys agree in a DH exchange") {
    wgx::test::FakeRandom rng(9);
    for (int i = 0; i < 200; ++i) {
        Key a = wgx::crypto::generate_private_key(rng), b = wgx::crypto::generate_private_key(rng);
        Key ab, ba;
        REQUIRE(wgx::crypto::x25519(ab, a, wgx::crypto::public_key_of(b)));
        REQUIRE(wgx::crypto::x25519(ba, b, wgx::crypto::public_key_of(a)));
        CHECK(ab == ba);
    }
}
