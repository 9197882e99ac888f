#include "crypto/random.hpp"

#include <sodium.h>

namespace wgx::crypto {

std::uint32_t Random::u32() {
    std::uint8_t b[4];
    fill(b);
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
           std::uint32_t(b[3]) << 24;
}

std::uint32_t Random::uniform(std::uint32_t bound) {
    if (bound <= 1)
        return 0;
    // Rejection sampling avoids modulo bias.
    std::uint32_t limit = std::uint32_t(-bound) % bound;
    for (;;) {
        std::uint32_t r = u32();
        if (r >= limit)
            return r % bound;
    }
}

void SystemRandom::fill(std::span<std::uint8_t> out) {
    randombytes_buf(out.data(), out.size());
}

} // namespace wgx::crypto
