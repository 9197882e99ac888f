#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <set>

#include "crypto/kernel_random.hpp"
#include "crypto/x25519.hpp"

using namespace wgx;

TEST_CASE("KernelRandom fills every byte and never repeats a draw") {
    crypto::KernelRandom r;
    std::set<std::array<std::uint8_t, 32>> seen;
    std::array<unsigned, 256> byte_counts{};
    for (int i = 0; i < 64; ++i) {
        std::array<std::uint8_t, 32> b{};
        r.fill(b);
        CHECK(seen.insert(b).second);
        for (std::uint8_t x : b)
            ++byte_counts[x];
    }
    // 2048 bytes: every value is expected 8 times; none missing by chance has odds ~1e-1.
    // Require only that the draws are not stuck in a small range.
    CHECK(std::count(byte_counts.begin(), byte_counts.end(), 0u) < 64);
    // A private key from it is clamped like any other.
    crypto::Key k = crypto::generate_private_key(r);
    CHECK((k.data()[0] & 7) == 0);
    CHECK((k.data()[31] & 0xc0) == 0x40);
}
