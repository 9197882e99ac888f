#include "cli/terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace wgx::cli {

bool color_mode_from_environment() {
    const char* var = std::getenv("WG_COLOR_MODE");
    if (var && std::strcmp(var, "always") == 0)
        return true;
    if (var && std::strcmp(var, "never") == 0)
        return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

namespace {

/// Appends `chunk` without its escape sequences to `out`. One pass that copies the runs between
/// sequences (show of 10k peers strips a few MB). Mirrors wg: only sequences beginning before
/// len - 2 are considered; the sequence runs through the first ASCII letter (inclusive) or to
/// the end of the chunk.
template <class Text>
void append_stripped(Text& out, std::string_view chunk) {
    const std::size_t len = chunk.size();
    std::size_t kept = 0; // the start of the run not yet copied
    std::size_t i = chunk.find('\x1b');
    while (len >= 2 && i != std::string_view::npos && i < len - 2) {
        if (chunk[i + 1] != '[') {
            i = chunk.find('\x1b', i + 1);
            continue;
        }
        out.append(chunk.substr(kept, i - kept));
        std::size_t j = i + 2;
        while (j < len &&
               !((chunk[j] >= 'a' && chunk[j] <= 'z') || (chunk[j] >= 'A' && chunk[j] <= 'Z')))
            ++j;
        kept = j < len ? j + 1 : len;
        i = chunk.find('\x1b', kept);
    }
    out.append(chunk.substr(kept));
}

} // namespace

std::string strip_ansi(std::string_view chunk) {
    std::string out;
    out.reserve(chunk.size());
    append_stripped(out, chunk);
    return out;
}

void TerminalText::print(std::string_view chunk) {
    if (color_ || chunk.find('\x1b') == std::string_view::npos)
        out_.append(chunk);
    else
        append_stripped(out_, chunk); // straight into the output: no filtered copy per chunk
}

} // namespace wgx::cli
