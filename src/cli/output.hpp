#pragma once
// Small helpers for writing the way wg does: whole strings to stdout, perror-style lines.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace wgx::cli {

inline void write_out(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

/// perror(prefix) with the errno carried by an ipc Error ("Unable to access interface: ...").
inline void print_errno(std::string_view prefix, const Error& e) {
    int code = e.code ? e.code : EINVAL;
    std::fprintf(stderr, "%.*s: %s\n", int(prefix.size()), prefix.data(), std::strerror(code));
}

} // namespace wgx::cli
