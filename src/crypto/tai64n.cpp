#include "crypto/tai64n.hpp"

#include "base/bytes.hpp"

namespace wgx::crypto {

Tai64n tai64n(WallTime t) {
    using namespace std::chrono;
    auto since = t.time_since_epoch();
    auto secs = duration_cast<seconds>(since);
    if (since < secs)
        secs -= seconds(1);
    auto nanos = duration_cast<nanoseconds>(since - secs);
    Tai64n out;
    // 2^62 + 10 s (the TAI-UTC offset of 1972). The nanoseconds are rounded down to 2^24 ns
    // (just under 1/INITIATIONS_PER_SECOND), as the kernel and wireguard-go do, so that the
    // timestamp does not leak a fine-grained clock.
    store_be64(out.data(), 0x400000000000000aULL + std::uint64_t(secs.count()));
    store_be32(out.data() + 8, std::uint32_t(nanos.count()) & ~std::uint32_t(0xffffff));
    return out;
}

} // namespace wgx::crypto
