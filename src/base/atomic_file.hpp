#pragma once
// Writing a file so that readers see the old or the new content, never a mix.
#include <string>
#include <string_view>
#include <sys/types.h>

#include "base/result.hpp"

namespace wgx {

/// Writes `content` to `path` via a temp file in the same directory: write, fsync, rename,
/// fsync of the directory. The file gets `mode` (0600 by default: configs hold keys).
/// All of `text` to `fd` with write(2), retried on EINTR and short writes; the error carries
/// errno. Callers that also use stdio on the same descriptor flush it first.
Result<void> write_all(int fd, std::string_view text);

Result<void> write_file_atomically(const std::string& path, std::string_view content,
                                   mode_t mode = 0600);

} // namespace wgx
