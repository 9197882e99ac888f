#include "cli/terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace wgx::cli {

bool color_mode_from_environment() {
    const char* var = std::getenv("WG_COLOR_MODE");
    if (var && std::strcmp(var, "always") == 0)
        return true;
    if (var && std::strcmp(var, "never") == 0)
        return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

std::string strip_ansi(std::string_view chunk) {
    std::string s(chunk);
    std::vector<bool> drop(s.size(), false);
    const std::size_t len = s.size();
    // Mirrors wg: only sequences beginning before len - 2 are considered; the sequence runs
    // through the first ASCII letter (inclusive) or to the end of the chunk.
    for (std::size_t i = 0; len >= 2 && i < len - 2; ++i) {
        if (drop[i] || s[i] != '\x1b' || s[i + 1] != '[')
            continue;
        drop[i] = drop[i + 1] = true;
        std::size_t j = i + 2;
        for (; j < len; ++j) {
            char c = s[j];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                break;
            drop[j] = true;
        }
        if (j < len)
            drop[j] = true;
    }
    std::string out;
    out.reserve(len);
    for (std::size_t i = 0; i < len; ++i)
        if (!drop[i])
            out += s[i];
    return out;
}

void TerminalText::print(std::string_view chunk) {
    if (color_ || chunk.find('\x1b') == std::string_view::npos)
        out_.append(chunk);
    else
        out_ += strip_ansi(chunk);
}

} // namespace wgx::cli
