#pragma once
// Arithmetic in GF(2^255 - 19), the field under Curve25519 and edwards25519: only what the
// Edwards-to-Montgomery map needs (x25519.cpp computes public keys through libsodium's faster
// Edwards fixed-base multiplication, then converts u = (1 + y) / (1 - y)).
#include <cstdint>

namespace wgx::crypto {

/// A field element in radix 2^51: five limbs, each below 2^52 between operations.
struct FieldElement {
    std::uint64_t limb[5];
};

/// Little-endian 32 bytes, bit 255 ignored (for an Edwards encoding it is the sign of x).
/// Values in [p, 2^255) are accepted and reduced by the arithmetic.
FieldElement field_from_bytes(const std::uint8_t in[32]);
/// The canonical little-endian encoding (fully reduced below p).
void field_to_bytes(std::uint8_t out[32], const FieldElement& a);
FieldElement field_add(const FieldElement& a, const FieldElement& b);
/// a - b, computed as a + 2p - b so no limb goes negative.
FieldElement field_sub(const FieldElement& a, const FieldElement& b);
FieldElement field_mul(const FieldElement& a, const FieldElement& b);
FieldElement field_square(const FieldElement& a);
/// a^(p-2): the inverse of a, and 0 for 0.
FieldElement field_invert(const FieldElement& a);

/// The Montgomery u-coordinate (RFC 7748) of the edwards25519 point whose standard encoding
/// is `edwards`: u = (1 + y) / (1 - y). The identity (y = 1) maps to 0, as X25519 encodes it.
void montgomery_u_from_edwards(std::uint8_t u[32], const std::uint8_t edwards[32]);

} // namespace wgx::crypto
