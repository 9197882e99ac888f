// The device's static identity as configured over UAPI: keys are stored clamped.
#include <doctest/doctest.h>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"

using namespace wgx;
using namespace wgx::protocol;

TEST_CASE("a non-canonical private key is stored clamped, with the same public key") {
    crypto::SystemRandom random;
    Device device(random);
    for (auto [index, value] : {std::pair{0, 0x07}, std::pair{31, 0x80}, std::pair{31, 0x3f}}) {
        Key raw = crypto::generate_private_key(random);
        raw.data()[index] = std::uint8_t(value);
        Key clamped = raw;
        crypto::clamp_private_key(clamped);
        REQUIRE_FALSE(raw == clamped);
        device.set_private_key(raw);
        REQUIRE(device.private_key());
        CHECK(*device.private_key() == clamped);
        CHECK((device.private_key()->data()[0] & 7) == 0);
        CHECK((device.private_key()->data()[31] & 0xc0) == 0x40);
        REQUIRE(device.public_key());
        CHECK(*device.public_key() == crypto::public_key_of(raw));
    }
}

TEST_CASE("an all-zero private key clears the identity rather than being clamped") {
    crypto::SystemRandom random;
    Device device(random);
    device.set_private_key(crypto::generate_private_key(random));
    device.set_private_key(Key());
    CHECK_FALSE(device.private_key());
    CHECK_FALSE(device.public_key());
}
