#pragma once
// Curve25519 Diffie-Hellman (RFC 7748) via libsodium.
#include "crypto/key.hpp"
#include "crypto/random.hpp"

namespace wgx::crypto {

/// Clamps a scalar as RFC 7748 §5 and wg genkey do.
void clamp_private_key(Key& k);
/// A fresh clamped private key.
Key generate_private_key(Random& rng);
/// A fresh unclamped 32-byte secret (genpsk).
Key generate_preshared_key(Random& rng);
/// The public key of a private key (scalar multiplication with the base point).
Key public_key_of(const Key& private_key);
/// DH(private, public) into `out`. False when the result is all zero (a low-order point):
/// WireGuard rejects such keys.
[[nodiscard]] bool x25519(Key& out, const Key& private_key, const Key& public_key);

} // namespace wgx::crypto
