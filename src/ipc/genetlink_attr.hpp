#pragma once
// Netlink attributes (struct nlattr TLVs, 4-byte aligned) written into and read from plain byte
// buffers, so the wireguard genetlink codec is pure and testable without a kernel.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "base/bytes.hpp"

namespace wgx::ipc::nl {

inline constexpr std::size_t ATTR_HEADER = 4;
inline constexpr std::uint16_t F_NESTED = 1U << 15; // NLA_F_NESTED
inline constexpr std::uint16_t TYPE_MASK = 0x3fff;  // NLA_TYPE_MASK
inline constexpr std::size_t align(std::size_t n) {
    return (n + 3) & ~std::size_t(3);
}

/// Appends attributes to a buffer. Every put checks the buffer against `limit` and leaves the
/// buffer unchanged when the attribute does not fit, so a caller can close its nests and send.
class AttrWriter {
  public:
    explicit AttrWriter(std::size_t limit) : limit_(limit) {}

    bool put(std::uint16_t type, ByteView payload);
    bool put_u8(std::uint16_t type, std::uint8_t v) { return put(type, ByteView(&v, 1)); }
    bool put_u16(std::uint16_t type, std::uint16_t v);
    bool put_u32(std::uint16_t type, std::uint32_t v);
    /// A NUL-terminated string.
    bool put_string(std::uint16_t type, std::string_view s);

    /// Opens a nested attribute (flagged NLA_F_NESTED); nullopt when even its header won't fit
    /// together with `reserve` more bytes.
    std::optional<std::size_t> begin_nest(std::uint16_t type, std::size_t reserve = 0);
    /// Closes the nest opened at `at`, writing its length.
    void end_nest(std::size_t at);
    /// Drops everything written since `at` (a nest that turned out empty or too big).
    void cancel(std::size_t at) { buf_.resize(at); }

    std::size_t size() const { return buf_.size(); }
    std::size_t room() const { return limit_ > buf_.size() ? limit_ - buf_.size() : 0; }
    const Bytes& bytes() const { return buf_; }
    Bytes take() { return std::move(buf_); }

  private:
    std::size_t limit_;
    Bytes buf_;
};

/// One attribute as read: its type (flags masked off) and payload.
struct Attr {
    std::uint16_t type = 0;
    ByteView payload;

    std::optional<std::uint8_t> u8() const;
    std::optional<std::uint16_t> u16() const;
    std::optional<std::uint32_t> u32() const;
    std::optional<std::uint64_t> u64() const;
    /// The payload up to its first NUL.
    std::string_view string() const;
};

/// Calls `fn` for each attribute of `stream`. False when an attribute header is malformed
/// (length shorter than its header or beyond the buffer); attributes before it were visited.
bool for_each_attr(ByteView stream, const std::function<void(const Attr&)>& fn);

} // namespace wgx::ipc::nl
