#include "crypto/x25519.hpp"

#include <sodium.h>

#include "crypto/field25519.hpp"

namespace wgx::crypto {

void clamp_private_key(Key& k) {
    k.data()[0] &= 248;
    k.data()[31] = (k.data()[31] & 127) | 64;
}

Key generate_private_key(Random& rng) {
    Key k = generate_preshared_key(rng);
    clamp_private_key(k);
    return k;
}

Key generate_preshared_key(Random& rng) {
    Key k;
    rng.fill(k.mut_view());
    return k;
}

Key public_key_of(const Key& private_key) {
    // [s]B on edwards25519 through libsodium's fixed-base tables costs about half its Montgomery
    // fixed-base ladder, and the birational map sends Edwards B to u = 9, so the u-coordinate
    // of [s]B is X25519(s, 9) bit for bit. The clamped scalar is below 2^255 as the Edwards
    // multiplication requires, and never a multiple of the group order (8L > 2^255).
    Key clamped = private_key;
    clamp_private_key(clamped);
    std::uint8_t edwards[KEY_LEN];
    Key pub;
    if (crypto_scalarmult_ed25519_base_noclamp(edwards, clamped.data()) == 0)
        montgomery_u_from_edwards(pub.data(), edwards);
    else // unreachable for a clamped scalar; the ladder gives the same answer
        crypto_scalarmult_curve25519_base(pub.data(), clamped.data());
    return pub;
}

bool x25519(Key& out, const Key& private_key, const Key& public_key) {
    // libsodium returns -1 when the shared secret is all zero.
    if (crypto_scalarmult_curve25519(out.data(), private_key.data(), public_key.data()) != 0) {
        secure_zero(out.data(), KEY_LEN);
        return false;
    }
    return true;
}

} // namespace wgx::crypto
