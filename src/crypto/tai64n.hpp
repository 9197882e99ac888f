#pragma once
// TAI64N timestamps for handshake initiations (replay protection across restarts).
#include <array>
#include <cstdint>

#include "base/now.hpp"

namespace wgx::crypto {

inline constexpr std::size_t TAI64N_LEN = 12;
using Tai64n = std::array<std::uint8_t, TAI64N_LEN>;

/// Big-endian 2^62 + seconds, then big-endian nanoseconds. Comparable with memcmp.
Tai64n tai64n(WallTime t);

} // namespace wgx::crypto
