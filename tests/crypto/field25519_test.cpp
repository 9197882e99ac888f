// GF(2^255 - 19) arithmetic against OpenSSL's BIGNUM as the oracle, the canonical encoding at
// the edges of the field, and the Edwards-to-Montgomery map on known points.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <memory>

#include <openssl/bn.h>

#include "crypto/field25519.hpp"
#include "support/fake_random.hpp"

using namespace wgx::crypto;

namespace {

using Bytes32 = std::array<std::uint8_t, 32>;

struct BnDeleter {
    void operator()(BIGNUM* b) const { BN_free(b); }
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn bn_of(const Bytes32& le) {
    return Bn(BN_lebin2bn(le.data(), int(le.size()), nullptr));
}

Bytes32 bytes_of(const BIGNUM* b) {
    Bytes32 out{};
    REQUIRE(BN_bn2lebinpad(b, out.data(), int(out.size())) == 32);
    return out;
}

Bn prime() {
    BIGNUM* p = nullptr;
    // 2^255 - 19
    REQUIRE(BN_hex2bn(&p, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed") > 0);
    return Bn(p);
}

Bytes32 encode(const FieldElement& a) {
    Bytes32 out;
    field_to_bytes(out.data(), a);
    return out;
}

/// The field element bit 255 cleared, as field_from_bytes reads it, reduced mod p by BIGNUM.
Bn reduced(const Bytes32& b, const BIGNUM* p, BN_CTX* ctx) {
    Bytes32 c = b;
    c[31] &= 0x7f;
    Bn v = bn_of(c);
    Bn r(BN_new());
    REQUIRE(BN_nnmod(r.get(), v.get(), p, ctx) == 1);
    return r;
}

Bytes32 random_bytes(wgx::test::FakeRandom& rng) {
    Bytes32 b;
    rng.fill(b);
    return b;
}

} // namespace

TEST_CASE("field25519: encoding is canonical at the edges of the field") {
    // p, p + 1, 2^255 - 1 and 2^255 + 0 (bit 255 is ignored) reduce to 0, 1, 18 and 0.
    Bytes32 p{}, p1{}, top{}, sign_only{};
    p.fill(0xff), p1.fill(0xff), top.fill(0xff);
    p[0] = 0xed, p[31] = 0x7f;
    p1[0] = 0xee, p1[31] = 0x7f;
    top[31] = 0x7f;
    sign_only[31] = 0x80;
    Bytes32 zero{}, one{}, eighteen{};
    one[0] = 1;
    eighteen[0] = 18;
    CHECK(encode(field_from_bytes(p.data())) == zero);
    CHECK(encode(field_from_bytes(p1.data())) == one);
    CHECK(encode(field_from_bytes(top.data())) == eighteen);
    CHECK(encode(field_from_bytes(sign_only.data())) == zero);
    // p - 1 stays as it is.
    Bytes32 pm1 = p;
    pm1[0] = 0xec;
    CHECK(encode(field_from_bytes(pm1.data())) == pm1);
    // 0 - 1 = p - 1 and (p - 1) + 1 = 0: the borrow and the carry through every limb.
    CHECK(encode(field_sub(field_from_bytes(zero.data()), field_from_bytes(one.data()))) == pm1);
    CHECK(encode(field_add(field_from_bytes(pm1.data()), field_from_bytes(one.data()))) == zero);
    CHECK(encode(field_invert(field_from_bytes(zero.data()))) == zero);
    CHECK(encode(field_invert(field_from_bytes(one.data()))) == one);
}

TEST_CASE("field25519: add, sub, mul, square and invert agree with BIGNUM") {
    Bn p = prime();
    std::unique_ptr<BN_CTX, BnDeleter> ctx(BN_CTX_new());
    wgx::test::FakeRandom rng(25519);
    for (int i = 0; i < 2000; ++i) {
        Bytes32 a = random_bytes(rng), b = random_bytes(rng);
        if (i % 7 == 0) // values within 2^32 of p and of 2^255 (non-canonical inputs)
            for (int j = 4; j < 31; ++j)
                a[std::size_t(j)] = 0xff;
        FieldElement fa = field_from_bytes(a.data()), fb = field_from_bytes(b.data());
        Bn ra = reduced(a, p.get(), ctx.get()), rb = reduced(b, p.get(), ctx.get());
        Bn want(BN_new());

        REQUIRE(BN_mod_add(want.get(), ra.get(), rb.get(), p.get(), ctx.get()) == 1);
        CHECK(encode(field_add(fa, fb)) == bytes_of(want.get()));
        REQUIRE(BN_mod_sub(want.get(), ra.get(), rb.get(), p.get(), ctx.get()) == 1);
        CHECK(encode(field_sub(fa, fb)) == bytes_of(want.get()));
        REQUIRE(BN_mod_mul(want.get(), ra.get(), rb.get(), p.get(), ctx.get()) == 1);
        CHECK(encode(field_mul(fa, fb)) == bytes_of(want.get()));
        REQUIRE(BN_mod_sqr(want.get(), ra.get(), p.get(), ctx.get()) == 1);
        CHECK(encode(field_square(fa)) == bytes_of(want.get()));
        // Chained operations keep their limbs in range: (a - b) * (a + b) = a^2 - b^2.
        CHECK(encode(field_mul(field_sub(fa, fb), field_add(fa, fb))) ==
              encode(field_sub(field_square(fa), field_square(fb))));
        if (!BN_is_zero(ra.get())) {
            REQUIRE(BN_mod_inverse(want.get(), ra.get(), p.get(), ctx.get()) != nullptr);
            CHECK(encode(field_invert(fa)) == bytes_of(want.get()));
        }
    }
}

TEST_CASE("field25519: the Edwards base point and the identity map to u = 9 and u = 0") {
    // RFC 8032 5.1: B has y = 4/5, encoded 0x58 followed by 31 bytes 0x66 (little-endian).
    Bytes32 base;
    base.fill(0x66);
    base[0] = 0x58;
    Bytes32 u, nine{}, zero{};
    nine[0] = 9;
    montgomery_u_from_edwards(u.data(), base.data());
    CHECK(u == nine);
    // The identity is (0, 1).
    Bytes32 identity{};
    identity[0] = 1;
    montgomery_u_from_edwards(u.data(), identity.data());
    CHECK(u == zero);
}
