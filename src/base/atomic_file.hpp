#pragma once
// Writing a file so that readers see the old or the new content, never a mix.
#include <string>
#include <string_view>
#include <sys/types.h>

#include "base/result.hpp"

namespace wgx {

/// Writes `content` to `path` via a temp file in the same directory: write, fsync, rename,
/// fsync of the directory. The file gets `mode` (0600 by default: configs hold keys).
Result<void> write_file_atomically(const std::string& path, std::string_view content,
                                   mode_t mode = 0600);

} // namespace wgx
