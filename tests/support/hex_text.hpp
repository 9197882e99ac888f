#pragma once
// Bytes to and from lower-case hex text, for test vectors and messages.
#include <cstdint>
#include <string>

#include "base/bytes.hpp"

namespace wgx::test {

inline Bytes from_hex(const std::string& hex) {
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = std::uint8_t(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

inline std::string to_hex(ByteView b) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (auto c : b) {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

} // namespace wgx::test
