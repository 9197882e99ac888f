#include "packet/checksum.hpp"

#include <cstring>

namespace wgx::packet {

namespace {
// Words are summed in host order and as 32-bit halves of wider loads: 2^32 ≡ 2^16 ≡ 1 modulo
// 0xffff, so summing wider words and folding later gives the same one's-complement sum, and a
// 64-bit lane cannot overflow before 2^31 additions (16 GB). The main loop works on two
// 16-byte vectors (GCC/Clang vector extensions: SSE2 on x86-64, NEON on arm64) with two
// accumulators so that consecutive adds do not wait for each other.
using Lanes = std::uint64_t __attribute__((vector_size(16)));
constexpr Lanes LOW32 = {0xffffffffu, 0xffffffffu};

inline Lanes load_lanes(const std::uint8_t* p) {
    Lanes v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline Lanes halves(Lanes v) {
    return (v & LOW32) + (v >> 32);
}
inline std::uint64_t to32(std::uint64_t x) {
    x = (x & 0xffffffffu) + (x >> 32);
    return (x & 0xffffffffu) + (x >> 32);
}

// Sums (and, when Copy, copies) n bytes; the caller adds the result to its running sum.
template <bool Copy>
std::uint64_t sum_bytes(std::uint8_t* out, const std::uint8_t* p, std::size_t n) {
    Lanes a = {0, 0}, b = {0, 0};
    while (n >= 32) {
        Lanes v0 = load_lanes(p), v1 = load_lanes(p + 16);
        if constexpr (Copy) {
            std::memcpy(out, &v0, sizeof v0);
            std::memcpy(out + 16, &v1, sizeof v1);
            out += 32;
        }
        a += halves(v0);
        b += halves(v1);
        p += 32;
        n -= 32;
    }
    a += b;
    std::uint64_t sum = to32(a[0]) + to32(a[1]);
    while (n >= 4) {
        std::uint32_t w;
        std::memcpy(&w, p, sizeof w);
        if constexpr (Copy) {
            std::memcpy(out, &w, sizeof w);
            out += 4;
        }
        sum += w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, p, sizeof w);
        if constexpr (Copy) {
            std::memcpy(out, &w, sizeof w);
            out += 2;
        }
        sum += w;
        p += 2;
        n -= 2;
    }
    if (n == 1) { // the odd last byte is the high byte of a big-endian word padded with zero
        if constexpr (Copy)
            *out = *p;
        sum +=
            std::endian::native == std::endian::little ? std::uint64_t(*p) : std::uint64_t(*p) << 8;
    }
    return sum;
}
} // namespace

std::uint64_t checksum_add(ByteView data, std::uint64_t sum) noexcept {
    // Folding both to 32 bits first keeps the total from overflowing whatever `sum` held.
    return to32(sum) + to32(sum_bytes<false>(nullptr, data.data(), data.size()));
}

std::uint64_t checksum_copy(std::uint8_t* out, ByteView data, std::uint64_t sum) noexcept {
    return to32(sum) + to32(sum_bytes<true>(out, data.data(), data.size()));
}

std::uint16_t checksum_fold(std::uint64_t sum) noexcept {
    sum = to32(sum);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    auto folded = std::uint16_t(sum);
    if constexpr (std::endian::native == std::endian::little)
        folded = std::uint16_t(folded << 8 | folded >> 8);
    return folded;
}

} // namespace wgx::packet
