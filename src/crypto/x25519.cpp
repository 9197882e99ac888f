#include "crypto/x25519.hpp"

#include <sodium.h>

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
    Key pub;
    // crypto_scalarmult_base clamps internally and cannot fail for the base point.
    crypto_scalarmult_curve25519_base(pub.data(), private_key.data());
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
