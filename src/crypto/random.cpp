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

void FakeRandom::fill(std::span<std::uint8_t> out) {
    for (std::size_t i = 0; i < out.size(); i += 8) {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        for (std::size_t j = 0; j < 8 && i + j < out.size(); ++j)
            out[i + j] = std::uint8_t(z >> (8 * j));
    }
}

} // namespace wgx::crypto
