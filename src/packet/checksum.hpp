#pragma once
// The Internet checksum (RFC 1071): the 16-bit one's-complement sum that IPv4, TCP and UDP
// headers carry. On the data path it runs over every byte of every 64 KB super-packet, so the
// running sum is kept in a 64-bit accumulator in host byte order (the one's-complement sum is
// independent of byte order up to a final swap) and folded only at the end.
#include <bit>
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"

namespace wgx::packet {

/// Adds `data` to the running sum `sum` (an opaque accumulator, start with 0). When a sum is
/// built from several calls, every chunk but the last must have an even length.
std::uint64_t checksum_add(ByteView data, std::uint64_t sum = 0) noexcept;

/// Copies `data` to `out` (which must hold data.size() bytes and not overlap it) and adds
/// it to `sum` in the same pass: one read of the bytes where memcpy plus checksum_add need two.
std::uint64_t checksum_copy(std::uint8_t* out, ByteView data, std::uint64_t sum = 0) noexcept;

/// Adds the 16-bit value `value` as if it were two big-endian bytes of the summed data.
inline std::uint64_t checksum_add_be16(std::uint64_t sum, std::uint16_t value) noexcept {
    if constexpr (std::endian::native == std::endian::little)
        value = std::uint16_t(value << 8 | value >> 8);
    return sum + value;
}

/// The folded 16-bit sum, as the number a big-endian checksum field holds (not complemented).
std::uint16_t checksum_fold(std::uint64_t sum) noexcept;

/// The checksum field's value: the complement of the folded sum.
inline std::uint16_t checksum_finish(std::uint64_t sum) noexcept {
    return std::uint16_t(~checksum_fold(sum));
}

/// The sum of the TCP/UDP pseudo-header: `addresses` is the source address followed by the
/// destination address as they sit in the IP header (8 bytes for IPv4, 32 for IPv6).
inline std::uint64_t pseudo_header_sum(ByteView addresses, std::uint8_t protocol,
                                       std::uint32_t l4_length) noexcept {
    std::uint64_t sum = checksum_add(addresses);
    sum = checksum_add_be16(sum, protocol);
    sum = checksum_add_be16(sum, std::uint16_t(l4_length >> 16));
    return checksum_add_be16(sum, std::uint16_t(l4_length));
}

} // namespace wgx::packet
