#pragma once
// Byte views and little-endian field access for wire formats.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace wgx {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using MutableByteView = std::span<std::uint8_t>;

inline std::uint32_t load_le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}
inline std::uint64_t load_le64(const std::uint8_t* p) {
    return std::uint64_t(load_le32(p)) | std::uint64_t(load_le32(p + 4)) << 32;
}
inline void store_le32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = std::uint8_t(v >> (8 * i));
}
inline void store_le64(std::uint8_t* p, std::uint64_t v) {
    store_le32(p, std::uint32_t(v));
    store_le32(p + 4, std::uint32_t(v >> 32));
}
inline void store_be32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = std::uint8_t(v >> (8 * (3 - i)));
}
inline void store_be64(std::uint8_t* p, std::uint64_t v) {
    store_be32(p, std::uint32_t(v >> 32));
    store_be32(p + 4, std::uint32_t(v));
}
inline std::uint32_t load_be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
           std::uint32_t(p[3]);
}
inline std::uint64_t load_be64(const std::uint8_t* p) {
    return std::uint64_t(load_be32(p)) << 32 | load_be32(p + 4);
}

} // namespace wgx
