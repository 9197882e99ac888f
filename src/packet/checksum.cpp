#include "packet/checksum.hpp"

#include <cstring>

namespace wgx::packet {

namespace {
// Each 64-bit load is added as two 32-bit halves: 2^32 ≡ 1 and 2^16 ≡ 1 modulo 0xffff, so
// summing wider words and folding later gives the same one's-complement sum, and a 64-bit
// accumulator cannot overflow before 2^31 loads (16 GB). Four accumulators keep the adds
// independent so the CPU can run them in parallel.
inline std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}
inline std::uint64_t halves(std::uint64_t w) {
    return (w & 0xffffffffu) + (w >> 32);
}
} // namespace

std::uint64_t checksum_add(ByteView data, std::uint64_t sum) noexcept {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    std::uint64_t a = 0, b = 0, c = 0, d = 0;
    while (n >= 32) {
        a += halves(load64(p));
        b += halves(load64(p + 8));
        c += halves(load64(p + 16));
        d += halves(load64(p + 24));
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        a += halves(load64(p));
        p += 8;
        n -= 8;
    }
    if (n >= 4) {
        std::uint32_t w;
        std::memcpy(&w, p, sizeof w);
        b += w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, p, sizeof w);
        c += w;
        p += 2;
        n -= 2;
    }
    if (n == 1) // the odd last byte is the high byte of a big-endian word padded with zero
        d +=
            std::endian::native == std::endian::little ? std::uint64_t(*p) : std::uint64_t(*p) << 8;
    // Fold the accumulators to 32 bits each before adding them, so the total cannot overflow
    // whatever `sum` already held.
    auto to32 = [](std::uint64_t x) {
        x = (x & 0xffffffffu) + (x >> 32);
        return (x & 0xffffffffu) + (x >> 32);
    };
    return to32(sum) + to32(a) + to32(b) + to32(c) + to32(d);
}

std::uint16_t checksum_fold(std::uint64_t sum) noexcept {
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    auto folded = std::uint16_t(sum);
    if constexpr (std::endian::native == std::endian::little)
        folded = std::uint16_t(folded << 8 | folded >> 8);
    return folded;
}

} // namespace wgx::packet
