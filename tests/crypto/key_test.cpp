#include <doctest/doctest.h>

#include "crypto/key.hpp"
#include "crypto/x25519.hpp"

using wgx::crypto::Key;

TEST_CASE("key base64 round trip and strictness") {
    auto k = Key::from_base64("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=");
    REQUIRE(k);
    CHECK(k->to_base64() == "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=");
    CHECK(k->to_hex() == "c809f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669");
    CHECK(Key::from_hex(k->to_hex()) == k);
    CHECK_FALSE(Key::from_base64("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk"));
    CHECK_FALSE(Key::from_base64(" yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="));
    // Non-canonical: the last character carries bits that are not part of the 32 bytes.
    CHECK_FALSE(Key::from_base64("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmn="));
    CHECK_FALSE(Key::from_base64("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm!="));
    CHECK_FALSE(Key::from_hex("zz09f3e5317e9575c9b5ed78b638b7ce530dabe85ddab614220241801ddf0669"));
}

TEST_CASE("x25519 RFC 7748 section 6.1") {
    auto a = Key::from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    auto b = Key::from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    REQUIRE(a);
    REQUIRE(b);
    Key apub = wgx::crypto::public_key_of(*a);
    Key bpub = wgx::crypto::public_key_of(*b);
    CHECK(apub.to_hex() == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    CHECK(bpub.to_hex() == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    Key s1, s2;
    REQUIRE(wgx::crypto::x25519(s1, *a, bpub));
    REQUIRE(wgx::crypto::x25519(s2, *b, apub));
    CHECK(s1 == s2);
    CHECK(s1.to_hex() == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    Key zero, out;
    CHECK_FALSE(wgx::crypto::x25519(out, *a, zero)); // low-order point
}
