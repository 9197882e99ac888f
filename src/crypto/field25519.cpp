#include "crypto/field25519.hpp"

#include <cstring>

namespace wgx::crypto {

namespace {

__extension__ using Wide = unsigned __int128;

constexpr std::uint64_t MASK51 = (std::uint64_t(1) << 51) - 1;

std::uint64_t load_le64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

/// Carries the five 128-bit column sums down to limbs below 2^51 (plus a small excess in
/// limb 1); the carry out of limb 4 re-enters at limb 0 times 19, since 2^255 = 19 (mod p).
[[gnu::always_inline]] inline FieldElement carry(Wide r0, Wide r1, Wide r2, Wide r3, Wide r4) {
    FieldElement h;
    r1 += std::uint64_t(r0 >> 51);
    h.limb[0] = std::uint64_t(r0) & MASK51;
    r2 += std::uint64_t(r1 >> 51);
    h.limb[1] = std::uint64_t(r1) & MASK51;
    r3 += std::uint64_t(r2 >> 51);
    h.limb[2] = std::uint64_t(r2) & MASK51;
    r4 += std::uint64_t(r3 >> 51);
    h.limb[3] = std::uint64_t(r3) & MASK51;
    std::uint64_t c = std::uint64_t(r4 >> 51);
    h.limb[4] = std::uint64_t(r4) & MASK51;
    h.limb[0] += c * 19;
    h.limb[1] += h.limb[0] >> 51;
    h.limb[0] &= MASK51;
    return h;
}

/// Inlined into the inversion's runs of squarings: a call per squaring costs a third more.
[[gnu::always_inline]] inline FieldElement square(const FieldElement& a) {
    const std::uint64_t* x = a.limb;
    // The cross products appear twice; fold the 2 and the 19 into the multiplicands.
    std::uint64_t d0 = 2 * x[0], d1 = 2 * x[1], d2 = 2 * x[2];
    std::uint64_t x3_19 = 19 * x[3], x4_19 = 19 * x[4];
    Wide r0 = Wide(x[0]) * x[0] + Wide(d1) * x4_19 + Wide(d2) * x3_19;
    Wide r1 = Wide(d0) * x[1] + Wide(d2) * x4_19 + Wide(x[3]) * x3_19;
    Wide r2 = Wide(d0) * x[2] + Wide(x[1]) * x[1] + Wide(2 * x[3]) * x4_19;
    Wide r3 = Wide(d0) * x[3] + Wide(d1) * x[2] + Wide(x[4]) * x4_19;
    Wide r4 = Wide(d0) * x[4] + Wide(d1) * x[3] + Wide(x[2]) * x[2];
    return carry(r0, r1, r2, r3, r4);
}

FieldElement square_times(FieldElement a, int n) {
    for (int i = 0; i < n; ++i)
        a = square(a);
    return a;
}

} // namespace

FieldElement field_from_bytes(const std::uint8_t in[32]) {
    std::uint64_t w0 = load_le64(in), w1 = load_le64(in + 8), w2 = load_le64(in + 16),
                  w3 = load_le64(in + 24);
    return FieldElement{{w0 & MASK51, (w0 >> 51 | w1 << 13) & MASK51,
                         (w1 >> 38 | w2 << 26) & MASK51, (w2 >> 25 | w3 << 39) & MASK51,
                         (w3 >> 12) & MASK51}};
}

void field_to_bytes(std::uint8_t out[32], const FieldElement& a) {
    std::uint64_t h[5];
    std::memcpy(h, a.limb, sizeof h);
    // Two carry passes leave every limb below 2^51, so the value is below 2^255: at most one
    // subtraction of p remains. q is 1 exactly when h + 19 reaches 2^255, i.e. h >= p.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < 4; ++i) {
            h[i + 1] += h[i] >> 51;
            h[i] &= MASK51;
        }
        h[0] += 19 * (h[4] >> 51);
        h[4] &= MASK51;
    }
    std::uint64_t q = (h[0] + 19) >> 51;
    for (int i = 1; i < 5; ++i)
        q = (h[i] + q) >> 51;
    h[0] += 19 * q;
    for (int i = 0; i < 4; ++i) {
        h[i + 1] += h[i] >> 51;
        h[i] &= MASK51;
    }
    h[4] &= MASK51; // drops the 2^255 that q's 19 pushed in: h - p
    std::uint64_t w[4] = {h[0] | h[1] << 51, h[1] >> 13 | h[2] << 38, h[2] >> 26 | h[3] << 25,
                          h[3] >> 39 | h[4] << 12};
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 8; ++j)
            out[8 * i + j] = std::uint8_t(w[i] >> (8 * j));
}

FieldElement field_add(const FieldElement& a, const FieldElement& b) {
    FieldElement h;
    for (int i = 0; i < 5; ++i)
        h.limb[i] = a.limb[i] + b.limb[i];
    // Inputs below 2^52 give sums below 2^53: carry back below 2^52 for the next operation.
    return carry(h.limb[0], h.limb[1], h.limb[2], h.limb[3], h.limb[4]);
}

FieldElement field_sub(const FieldElement& a, const FieldElement& b) {
    // 4p in radix 2^51 keeps every limb non-negative for subtrahends below 2^53.
    constexpr std::uint64_t FOUR_P0 = 4 * (MASK51 - 18), FOUR_P = 4 * MASK51;
    FieldElement h;
    h.limb[0] = a.limb[0] + FOUR_P0 - b.limb[0];
    for (int i = 1; i < 5; ++i)
        h.limb[i] = a.limb[i] + FOUR_P - b.limb[i];
    return carry(h.limb[0], h.limb[1], h.limb[2], h.limb[3], h.limb[4]);
}

FieldElement field_mul(const FieldElement& a, const FieldElement& b) {
    const std::uint64_t* x = a.limb;
    const std::uint64_t* y = b.limb;
    // Columns above limb 4 wrap around multiplied by 19 (2^255 = 19 mod p).
    std::uint64_t y1 = 19 * y[1], y2 = 19 * y[2], y3 = 19 * y[3], y4 = 19 * y[4];
    Wide r0 =
        Wide(x[0]) * y[0] + Wide(x[1]) * y4 + Wide(x[2]) * y3 + Wide(x[3]) * y2 + Wide(x[4]) * y1;
    Wide r1 =
        Wide(x[0]) * y[1] + Wide(x[1]) * y[0] + Wide(x[2]) * y4 + Wide(x[3]) * y3 + Wide(x[4]) * y2;
    Wide r2 = Wide(x[0]) * y[2] + Wide(x[1]) * y[1] + Wide(x[2]) * y[0] + Wide(x[3]) * y4 +
              Wide(x[4]) * y3;
    Wide r3 = Wide(x[0]) * y[3] + Wide(x[1]) * y[2] + Wide(x[2]) * y[1] + Wide(x[3]) * y[0] +
              Wide(x[4]) * y4;
    Wide r4 = Wide(x[0]) * y[4] + Wide(x[1]) * y[3] + Wide(x[2]) * y[2] + Wide(x[3]) * y[1] +
              Wide(x[4]) * y[0];
    return carry(r0, r1, r2, r3, r4);
}

FieldElement field_square(const FieldElement& a) {
    return square(a);
}

FieldElement field_invert(const FieldElement& a) {
    // Fermat: a^(p-2) with p - 2 = 2^255 - 21. Build a^(2^k - 1) for k = 5, 10, 20, 40, 50, 100,
    // 200, 250 by squaring and multiplying, then shift in the low bits 01011 (21 = 32 - 11).
    FieldElement a2 = square(a);                              // a^2
    FieldElement a9 = field_mul(square_times(a2, 2), a);      // a^9
    FieldElement a11 = field_mul(a9, a2);                     // a^11
    FieldElement e5 = field_mul(square(a11), a9);             // a^(2^5 - 1) = a^31
    FieldElement e10 = field_mul(square_times(e5, 5), e5);    // a^(2^10 - 1)
    FieldElement e20 = field_mul(square_times(e10, 10), e10); // a^(2^20 - 1)
    FieldElement e40 = field_mul(square_times(e20, 20), e20);
    FieldElement e50 = field_mul(square_times(e40, 10), e10);
    FieldElement e100 = field_mul(square_times(e50, 50), e50);
    FieldElement e200 = field_mul(square_times(e100, 100), e100);
    FieldElement e250 = field_mul(square_times(e200, 50), e50);
    return field_mul(square_times(e250, 5), a11); // a^(2^255 - 32 + 11) = a^(p - 2)
}

void montgomery_u_from_edwards(std::uint8_t u[32], const std::uint8_t edwards[32]) {
    FieldElement one{{1, 0, 0, 0, 0}};
    FieldElement y = field_from_bytes(edwards);
    // For y = 1 the denominator is 0, its "inverse" 0, and u = 0: X25519's encoding of the
    // point at infinity.
    field_to_bytes(u, field_mul(field_add(one, y), field_invert(field_sub(one, y))));
}

} // namespace wgx::crypto
