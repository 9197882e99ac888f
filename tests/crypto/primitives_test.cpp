// Known answers from the RFCs (BLAKE2s: RFC 7693 B, keyed: the BLAKE2 reference KAT;
// ChaCha20-Poly1305: RFC 8439 2.8.2; XChaCha20-Poly1305: draft-irtf-cfrg-xchacha A.3.1), and
// HMAC/KDF values computed independently with Python's hashlib/hmac (tests/crypto/kat.py).
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include <openssl/evp.h>

#include "crypto/aead.hpp"
#include "crypto/blake2s.hpp"
#include "crypto/random.hpp"
#include "crypto/tai64n.hpp"
#include "support/fake_random.hpp"
#include "support/hex_text.hpp"
#include "support/sodium_aead.hpp"

using namespace wgx::crypto;

namespace {
std::vector<std::uint8_t> unhex(std::string_view h) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(std::uint8_t(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return out;
}
std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}
Key key_range(std::uint8_t first) {
    std::array<std::uint8_t, 32> b;
    for (int i = 0; i < 32; ++i)
        b[i] = std::uint8_t(first + i);
    return Key(b);
}
const std::string_view sunscreen = "Ladies and Gentlemen of the class of '99: If I could offer you "
                                   "only one tip for the future, sunscreen would be it.";
} // namespace

TEST_CASE("BLAKE2s hash, keyed MAC, HMAC and KDF") {
    std::uint8_t out[32];
    auto abc = bytes_of("abc");
    blake2s_hash(out, {abc});
    CHECK(wgx::test::to_hex(out) ==
          "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
    // Split input hashes the same as contiguous input.
    auto a = bytes_of("a"), bc = bytes_of("bc");
    blake2s_hash(out, {a, bc});
    CHECK(wgx::test::to_hex(out) ==
          "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");

    Key k = key_range(0);
    blake2s_mac(out, k.view(), {});
    CHECK(wgx::test::to_hex(out) ==
          "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49");
    std::uint8_t mac16[16];
    auto wg = bytes_of("wireguard");
    blake2s_mac(mac16, k.view(), {wg});
    CHECK(wgx::test::to_hex(mac16) == "a61558c1c840ba642e30ae5887ea786d");

    auto hk = bytes_of("key"), fox = bytes_of("The quick brown fox");
    hmac_blake2s(out, hk, {fox});
    CHECK(wgx::test::to_hex(out) ==
          "8717096fc5e7ac53d11d990acd4380c9ddd7bd8da5d8b5bc29855e6c98a866a4");

    Key t[3];
    auto input = bytes_of("input");
    kdf(t, k, input);
    CHECK(t[0].to_hex() == "87b7f70b24183c6db5dc4f6d9f4c47cdb203321aa2a0bef714896adb3107a040");
    CHECK(t[1].to_hex() == "538a02e1eb2e31b7e4d4b82476d1fe2acf50085d3fb584537279195f5d1f5824");
    CHECK(t[2].to_hex() == "9ad858025593be88de0f9442a589cfe84a88dc19e4753d93684d1c5efc4837f9");
    Key t1[1];
    kdf(t1, k, input);
    CHECK(t1[0] == t[0]);
}

TEST_CASE("KDF equals its definition through HMAC on random keys and inputs") {
    // KDF_n(key, input): prk = HMAC(key, input), T1 = HMAC(prk, 0x1), Ti = HMAC(prk, Ti-1 || i).
    wgx::test::FakeRandom rng(5869);
    for (int round = 0; round < 300; ++round) {
        Key key;
        rng.fill(key.mut_view());
        std::vector<std::uint8_t> input(rng.uniform(150)); // empty and multi-block included
        rng.fill(input);
        std::uint8_t prk[32], t[3][33];
        hmac_blake2s(prk, key.view(), {input});
        for (int i = 0; i < 3; ++i) {
            std::uint8_t counter = std::uint8_t(i + 1);
            if (i == 0)
                hmac_blake2s(t[i], prk, {std::span(&counter, 1)});
            else
                hmac_blake2s(t[i], prk, {std::span(t[i - 1], 32), std::span(&counter, 1)});
        }
        for (std::size_t n = 1; n <= 3; ++n) {
            CAPTURE(n);
            Key out[3];
            kdf(std::span(out, n), key, input);
            for (std::size_t i = 0; i < n; ++i)
                CHECK(wgx::test::to_hex(out[i].view()) == wgx::test::to_hex(std::span(t[i], 32)));
        }
    }
}

TEST_CASE("ChaCha20-Poly1305 RFC 8439 2.8.2") {
    Key key = key_range(0x80);
    auto nonce = unhex("070000004041424344454647");
    auto ad = unhex("50515253c0c1c2c3c4c5c6c7");
    auto pt = bytes_of(sunscreen);
    std::vector<std::uint8_t> ct(pt.size() + AEAD_TAG_LEN);
    chacha20poly1305_seal(key, std::span<const std::uint8_t, 12>(nonce.data(), 12), pt, ad,
                          ct.data());
    CHECK(wgx::test::to_hex(ct) ==
          "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb"
          "69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad6"
          "75945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b61161ae10b594f09e26a7e902ecbd06006"
          "91");
    std::vector<std::uint8_t> back(pt.size());
    CHECK(chacha20poly1305_open(key, std::span<const std::uint8_t, 12>(nonce.data(), 12), ct, ad,
                                back.data()));
    CHECK(back == pt);
    ct[5] ^= 1;
    CHECK_FALSE(chacha20poly1305_open(key, std::span<const std::uint8_t, 12>(nonce.data(), 12), ct,
                                      ad, back.data()));
}

TEST_CASE("XChaCha20-Poly1305 draft-irtf-cfrg-xchacha A.3.1") {
    Key key = key_range(0x80);
    auto nonce = unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
    auto ad = unhex("50515253c0c1c2c3c4c5c6c7");
    auto pt = bytes_of(sunscreen);
    std::vector<std::uint8_t> ct(pt.size() + AEAD_TAG_LEN);
    std::span<const std::uint8_t, 24> n(nonce.data(), 24);
    xaead_seal(key, n, pt, ad, ct.data());
    CHECK(wgx::test::to_hex(ct) ==
          "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a8"
          "2f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369"
          "488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf"
          "49");
    std::vector<std::uint8_t> back(pt.size());
    CHECK(xaead_open(key, n, ct, ad, back.data()));
    CHECK(back == pt);
    ad[0] ^= 1;
    CHECK_FALSE(xaead_open(key, n, ct, ad, back.data()));
}

TEST_CASE("OpenSSL and libsodium ChaCha20-Poly1305 agree on random inputs") {
    wgx::test::FakeRandom rng(42);
    for (int round = 0; round < 200; ++round) {
        Key key;
        rng.fill(key.mut_view());
        std::vector<std::uint8_t> pt(rng.uniform(1500)), ad(rng.uniform(64));
        rng.fill(pt);
        rng.fill(ad);
        std::uint64_t counter = std::uint64_t(rng.u32()) << 32 | rng.u32();
        std::vector<std::uint8_t> a(pt.size() + 16), b(pt.size() + 16);
        ChaChaPolyContext ctx(key);
        ctx.seal(counter, pt, ad, a.data());
        wgx::test::aead_seal_sodium(key, counter, pt, ad, b.data());
        REQUIRE(a == b);
        std::vector<std::uint8_t> back(pt.size());
        REQUIRE(ctx.open(counter, a, ad, back.data()));
        REQUIRE(back == pt);
        // In place, as the data path does it.
        std::vector<std::uint8_t> buf(pt);
        buf.resize(pt.size() + 16);
        ctx.seal(counter, std::span(buf.data(), pt.size()), ad, buf.data());
        REQUIRE(buf == a);
        REQUIRE(ctx.open(counter, buf, ad, buf.data()));
        REQUIRE(std::equal(pt.begin(), pt.end(), buf.begin()));
        REQUIRE_FALSE(ctx.open(counter + 1, a, ad, back.data()));
    }
}

TEST_CASE("ChaChaPolyContext on both sides of its short-message switch matches OpenSSL's EVP") {
    // Up to 256 bytes a context goes through libsodium, above through OpenSSL: every length
    // around the switch, sealed and opened (in place too), against OpenSSL's EVP called here.
    wgx::test::FakeRandom rng(256);
    for (std::size_t n = 0; n <= 600; n += (n >= 240 && n <= 272) ? 1 : 7) {
        CAPTURE(n);
        Key key;
        rng.fill(key.mut_view());
        std::vector<std::uint8_t> pt(n), ad(rng.uniform(3) == 0 ? 0 : 13);
        rng.fill(pt);
        rng.fill(ad);
        std::uint64_t counter = std::uint64_t(rng.u32()) << 32 | rng.u32();
        std::uint8_t nonce[12] = {};
        for (int i = 0; i < 8; ++i)
            nonce[4 + i] = std::uint8_t(counter >> (8 * i));
        std::vector<std::uint8_t> want(n + 16);
        EVP_CIPHER_CTX* e = EVP_CIPHER_CTX_new();
        int len = 0;
        REQUIRE(EVP_EncryptInit_ex(e, EVP_chacha20_poly1305(), nullptr, key.data(), nonce) == 1);
        if (!ad.empty())
            REQUIRE(EVP_EncryptUpdate(e, nullptr, &len, ad.data(), int(ad.size())) == 1);
        if (n)
            REQUIRE(EVP_EncryptUpdate(e, want.data(), &len, pt.data(), int(n)) == 1);
        REQUIRE(EVP_EncryptFinal_ex(e, want.data() + n, &len) == 1);
        REQUIRE(EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_AEAD_GET_TAG, 16, want.data() + n) == 1);
        EVP_CIPHER_CTX_free(e);

        ChaChaPolyContext sealer(key, AeadUse::seal), opener(key, AeadUse::open);
        std::vector<std::uint8_t> got(n + 16);
        sealer.seal(counter, pt, ad, got.data());
        REQUIRE(got == want);
        std::vector<std::uint8_t> back(n);
        REQUIRE(opener.open(counter, got, ad, back.data()));
        REQUIRE(back == pt);
        std::vector<std::uint8_t> buf(pt); // in place, as the data path does it
        buf.resize(n + 16);
        sealer.seal(counter, std::span(buf.data(), n), ad, buf.data());
        REQUIRE(buf == want);
        REQUIRE(opener.open(counter, buf, ad, buf.data()));
        REQUIRE(std::equal(pt.begin(), pt.end(), buf.begin()));
        std::vector<std::uint8_t> bad(want);
        bad[rng.uniform(bad.size())] ^= 0x10;
        REQUIRE_FALSE(opener.open(counter, bad, ad, back.data()));
        REQUIRE_FALSE(opener.open(counter + 1, want, ad, back.data()));
    }
}

TEST_CASE("ChaCha20-Poly1305 contexts made for one direction match libsodium") {
    wgx::test::FakeRandom rng(8439);
    for (int round = 0; round < 100; ++round) {
        Key key;
        rng.fill(key.mut_view());
        std::vector<std::uint8_t> pt(rng.uniform(1500)), ad(rng.uniform(64));
        rng.fill(pt);
        rng.fill(ad);
        std::uint64_t counter = rng.u32();
        ChaChaPolyContext sealer(key, AeadUse::seal), opener(key, AeadUse::open);
        std::vector<std::uint8_t> a(pt.size() + 16), b(pt.size() + 16), back(pt.size());
        sealer.seal(counter, pt, ad, a.data());
        wgx::test::aead_seal_sodium(key, counter, pt, ad, b.data());
        REQUIRE(a == b);
        REQUIRE(opener.open(counter, a, ad, back.data()));
        REQUIRE(back == pt);
        a[rng.uniform(a.size())] ^= 1;
        REQUIRE_FALSE(opener.open(counter, a, ad, back.data()));
    }
}

TEST_CASE("one ChaChaPolyContext seals and opens on several threads at once, each in its slot") {
    // The engine's crypto workers seal and open one keypair's packets in parallel, each thread
    // in a slot of its own; the bytes must be those of a single thread (libsodium's here).
    wgx::test::FakeRandom rng(7);
    Key key;
    rng.fill(key.mut_view());
    ChaChaPolyContext ctx(key);
    constexpr int THREADS = 4, PER_THREAD = 300;
    std::vector<std::vector<std::uint8_t>> plain(THREADS * PER_THREAD), sealed(plain.size());
    std::vector<std::vector<std::uint8_t>> expected(plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
        plain[i].resize(1 + rng.uniform(1500));
        rng.fill(plain[i]);
        expected[i].resize(plain[i].size() + 16);
        wgx::test::aead_seal_sodium(key, i, plain[i], {}, expected[i].data());
    }
    std::vector<int> opened_ok(plain.size(), 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < THREADS; ++t)
        threads.emplace_back([&, t] {
            set_aead_thread_slot(unsigned(t + 1));
            for (int k = 0; k < PER_THREAD; ++k) {
                std::size_t i = std::size_t(k * THREADS + t); // interleaved with the others
                sealed[i].resize(plain[i].size() + 16);
                ctx.seal(i, plain[i], {}, sealed[i].data());
                std::vector<std::uint8_t> back(plain[i].size());
                opened_ok[i] = ctx.open(i, expected[i], {}, back.data()) && back == plain[i];
            }
        });
    for (auto& t : threads)
        t.join();
    for (std::size_t i = 0; i < plain.size(); ++i) {
        REQUIRE(sealed[i] == expected[i]);
        REQUIRE(opened_ok[i] == 1);
    }
    // Slot 0 (this thread) still works.
    std::vector<std::uint8_t> back(plain[0].size());
    CHECK(ctx.open(0, expected[0], {}, back.data()));
    CHECK(back == plain[0]);
}

TEST_CASE("TAI64N is big-endian, offset by 2^62 + 10 s, and orders like time") {
    using namespace std::chrono;
    wgx::WallTime t{seconds(1700000000) + nanoseconds(123456789)};
    Tai64n x = tai64n(t);
    CHECK(wgx::test::to_hex(x) ==
          "400000006553f10a" +
              wgx::test::to_hex(std::array<std::uint8_t, 4>{0x07, 0x00, 0x00, 0x00}));
    Tai64n later = tai64n(t + milliseconds(20));
    CHECK(std::lexicographical_compare(x.begin(), x.end(), later.begin(), later.end()));
}

TEST_CASE("FakeRandom is repeatable and uniform stays in range") {
    wgx::test::FakeRandom a(7), b(7);
    CHECK(a.u32() == b.u32());
    for (int i = 0; i < 1000; ++i)
        CHECK(a.uniform(10) < 10);
}
