#pragma once
// JSON string literals (RFC 8259): the one piece of JSON writing that needs care. The
// documents themselves are small and fixed in shape, so they are written directly.
#include <cstdio>
#include <string>
#include <string_view>

namespace wgx::cli {

/// `text` as a quoted JSON string: '"', '\\' and control characters escaped; other bytes
/// (UTF-8 included) are passed through.
inline std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

} // namespace wgx::cli
