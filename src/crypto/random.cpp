#include "crypto/random.hpp"
#include "crypto/libcrypto_library.hpp"

#include <cstdlib>

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
    const LibCrypto& ossl = libcrypto();
    // OpenSSL's DRBG: seeded from the kernel once per thread and reseeded on its own schedule,
    // so the data path's draws (timer jitter, cookie nonces under a flood) cost no system call.
    if (!out.empty() && ossl.RAND_bytes(out.data(), int(out.size())) != 1)
        std::abort(); // the kernel's entropy source itself failed: nothing safe to fall back to
}

} // namespace wgx::crypto
