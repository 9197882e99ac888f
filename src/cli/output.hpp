#pragma once
// Small helpers for writing the way wg does: whole strings to stdout, perror-style lines.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unistd.h>

#include "base/result.hpp"
#include "base/secret_file.hpp"
#include "base/secret_string.hpp"

namespace wgx::cli {

inline void write_out(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

/// Text that may hold keys goes straight to the descriptor, after what stdio holds: stdio's
/// buffer is freed unwiped (or never), so a key must not pass through it.
inline void write_secret_out(const SecretString& text) {
    std::fflush(stdout);
    // Unreported, as wg does not report a failed write to stdout either.
    (void)write_all(STDOUT_FILENO, text);
}

/// perror(prefix) with the errno carried by an ipc Error ("Unable to access interface: ...").
inline void print_errno(std::string_view prefix, const Error& e) {
    int code = e.code ? e.code : EINVAL;
    std::fprintf(stderr, "%.*s: %s\n", int(prefix.size()), prefix.data(), std::strerror(code));
}

} // namespace wgx::cli
