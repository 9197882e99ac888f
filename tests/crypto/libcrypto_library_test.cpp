#include <doctest/doctest.h>

#include <array>
#include <dlfcn.h>
#include <string_view>

#include "crypto/libcrypto_library.hpp"

using namespace wgx;

TEST_CASE("libcrypto is opened from libcrypto.so.3 and every function wgx calls is found") {
    REQUIRE(crypto::libcrypto_load_error().empty());
    const crypto::LibCrypto& ossl = crypto::libcrypto();
    // The pointers lead into the shared object, not into a copy linked into this binary.
    Dl_info where{};
    REQUIRE(::dladdr(reinterpret_cast<void*>(ossl.RAND_bytes), &where) != 0);
    CHECK(std::string_view(where.dli_fname).find("libcrypto.so.3") != std::string_view::npos);
    std::array<std::uint8_t, 32> a{}, b{};
    CHECK(ossl.RAND_bytes(a.data(), int(a.size())) == 1);
    CHECK(ossl.RAND_bytes(b.data(), int(b.size())) == 1);
    CHECK(a != b);
    CHECK(ossl.EVP_chacha20_poly1305() != nullptr);
}
