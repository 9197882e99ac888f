// BLAKE2s (src/crypto/blake2s.cpp): known answers from RFC 7693 Appendix B and, for the keyed
// hash, vectors in the style of the BLAKE2 reference KAT (key 00..1f, input 00 01 .. n-1; values
// computed independently with Python's hashlib), then a randomized differential test against
// OpenSSL's BLAKE2S-256 digest and BLAKE2SMAC, the implementation wgx used before and which stays
// here only as the oracle.
#include <doctest/doctest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string>
#include <vector>

#include "crypto/blake2s.hpp"
#include "support/fake_random.hpp"
#include "support/hex_text.hpp"

using namespace wgx::crypto;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes counting(std::size_t n) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = std::uint8_t(i);
    return b;
}

Bytes openssl_hash(std::span<const std::uint8_t> in) {
    Bytes out(32);
    unsigned int len = 0;
    REQUIRE(EVP_Digest(in.data(), in.size(), out.data(), &len, EVP_blake2s256(), nullptr) == 1);
    REQUIRE(len == 32);
    return out;
}

Bytes openssl_mac(std::span<const std::uint8_t> key, std::span<const std::uint8_t> in,
                  std::size_t out_len) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "BLAKE2SMAC", nullptr);
    REQUIRE(mac != nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    REQUIRE(ctx != nullptr);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &out_len),
                           OSSL_PARAM_construct_end()};
    Bytes out(out_len);
    std::size_t written = 0;
    CHECK(EVP_MAC_init(ctx, key.data(), key.size(), params) == 1);
    CHECK(EVP_MAC_update(ctx, in.data(), in.size()) == 1);
    CHECK(EVP_MAC_final(ctx, out.data(), &written, out.size()) == 1);
    CHECK(written == out_len);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return out;
}

} // namespace

TEST_CASE("BLAKE2s: RFC 7693 Appendix B") {
    const Bytes abc = {'a', 'b', 'c'};
    std::uint8_t out[32];
    blake2s_hash(out, {abc});
    CHECK(wgx::test::to_hex(out) ==
          "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
}

TEST_CASE("BLAKE2s: unkeyed hash of the empty string and of counting bytes") {
    std::uint8_t out[32];
    blake2s_hash(out, {});
    CHECK(wgx::test::to_hex(out) ==
          "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9");
    // One block exactly, one byte more, and several blocks.
    auto b64 = counting(64), b65 = counting(65), b200 = counting(200);
    blake2s_hash(out, {b64});
    CHECK(wgx::test::to_hex(out) ==
          "56f34e8b96557e90c1f24b52d0c89d51086acf1b00f634cf1dde9233b8eaaa3e");
    blake2s_hash(out, {b65});
    CHECK(wgx::test::to_hex(out) ==
          "1b53ee94aaf34e4b159d48de352c7f0661d0a40edff95a0b1639b4090e974472");
    blake2s_hash(out, {b200});
    CHECK(wgx::test::to_hex(out) ==
          "6d244e1a06ce4ef578dd0f63aff0936706735119ca9c8d22d86c801414ab9741");
}

TEST_CASE("BLAKE2s: keyed vectors, 32-byte key and output (reference KAT style)") {
    const Bytes key = counting(32);
    struct Vector {
        std::size_t len;
        const char* mac;
    };
    const Vector vectors[] = {
        {0, "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49"},
        {1, "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1"},
        {2, "6bb71300644cd3991b26ccd4d274acd1adeab8b1d7914546c1198bbe9fc9d803"},
        {3, "1d220dbe2ee134661fdf6d9e74b41704710556f2f6e5a091b227697445dbea6b"},
        {63, "c65382513f07460da39833cb666c5ed82e61b9e998f4b0c4287cee56c3cc9bcd"},
        {64, "8975b0577fd35566d750b362b0897a26c399136df07bababbde6203ff2954ed4"},
        {65, "21fe0ceb0052be7fb0f004187cacd7de67fa6eb0938d927677f2398c132317a8"},
        {127, "ddbfea75cc467882eb3483ce5e2e756a4f4701b76b445519e89f22d60fa86e06"},
        {128, "0c311f38c35a4fb90d651c289d486856cd1413df9b0677f53ece2cd9e477c60a"},
        {129, "46a73a8dd3e70f59d3942c01df599def783c9da82fd83222cd662b53dce7dbdf"},
        {255, "3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd"},
    };
    for (const auto& v : vectors) {
        CAPTURE(v.len);
        auto in = counting(v.len);
        std::uint8_t out[32];
        blake2s_mac(out, key, {in});
        CHECK(wgx::test::to_hex(out) == v.mac);
    }
}

TEST_CASE("BLAKE2s: keyed, 16-byte key and 16-byte output (WireGuard's MAC sizes)") {
    const Bytes key = counting(16);
    struct Vector {
        std::size_t len;
        const char* mac;
    };
    const Vector vectors[] = {{0, "af4e5d3bb230e9ff9096ca6f7c501f76"},
                              {3, "a63420ca605c6a6d122381a74bde7c9c"},
                              {64, "dd55c51c98f8ab96ed272882941f0b6a"},
                              {65, "9018c671bb7e94a6d540a91765bbecad"},
                              {200, "b8d300fa7937e4d1e67c8468df4c9a43"}};
    for (const auto& v : vectors) {
        CAPTURE(v.len);
        auto in = counting(v.len);
        std::uint8_t out[16];
        blake2s_mac(out, key, {in});
        CHECK(wgx::test::to_hex(out) == v.mac);
    }
}

TEST_CASE("BLAKE2s: randomized against OpenSSL, every length 0..300, split anywhere") {
    wgx::test::FakeRandom r(7);
    for (std::size_t len = 0; len <= 300; ++len) {
        CAPTURE(len);
        Bytes in(len);
        r.fill(in);
        // Three parts with random boundaries (empty parts included), so updates end before,
        // on and after block boundaries.
        std::size_t a = len ? r.uniform(std::uint32_t(len + 1)) : 0;
        std::size_t b = a + (len - a ? r.uniform(std::uint32_t(len - a + 1)) : 0);
        std::span<const std::uint8_t> all(in);
        Parts split = {all.first(a), all.subspan(a, b - a), all.subspan(b)};

        std::uint8_t out[32];
        blake2s_hash(out, split);
        CHECK(wgx::test::to_hex(out) == wgx::test::to_hex(openssl_hash(in)));

        for (std::size_t key_len : {1, 16, 31, 32}) {
            CAPTURE(key_len);
            Bytes key(key_len);
            r.fill(key);
            for (std::size_t out_len : {16, 32}) {
                CAPTURE(out_len);
                std::uint8_t mac[32];
                blake2s_mac(std::span(mac, out_len), key, split);
                CHECK(wgx::test::to_hex(std::span(mac, out_len)) ==
                      wgx::test::to_hex(openssl_mac(key, in, out_len)));
            }
        }
    }
}

TEST_CASE("BLAKE2s: many small updates equal one update") {
    wgx::test::FakeRandom r(9);
    Bytes in(300);
    r.fill(in);
    std::span<const std::uint8_t> all(in);
    for (std::size_t step : {1, 7, 63, 64, 65}) {
        CAPTURE(step);
        // Four parts of `step` bytes each, the rest in the last part.
        std::size_t s = step;
        Parts parts = {all.first(s), all.subspan(s, s), all.subspan(2 * s, s),
                       all.subspan(3 * s, s), all.subspan(4 * s)};
        std::uint8_t out[32];
        blake2s_hash(out, parts);
        CHECK(wgx::test::to_hex(out) == wgx::test::to_hex(openssl_hash(in)));
    }
}
