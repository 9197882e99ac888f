#pragma once
// Strict unsigned decimal parsing, shared by the config and UAPI codecs.
#include <charconv>
#include <optional>
#include <string_view>

namespace wgx {

/// Only decimal digits (at least one), no sign, no trailing text, fitting T — as wg's NUM()
/// (isdigit first, strtoull, nothing after).
template <typename T>
std::optional<T> parse_decimal(std::string_view s) {
    if (s.empty() || s.front() < '0' || s.front() > '9')
        return std::nullopt;
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace wgx
