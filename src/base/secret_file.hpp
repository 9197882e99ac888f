#pragma once
// Reading and writing text that may hold keys (a config, a client's file, `show` output)
// without a buffer that outlives it unwiped: a stream or stdio keeps copies of what passes
// through it in buffers of its own.
#include <string>
#include <string_view>

#include "base/atomic_file.hpp" // write_all, for the callers that write what they read
#include "base/result.hpp"
#include "base/secret_string.hpp"

namespace wgx {

/// The whole file, read(2) straight into a SecretString. Errors are "PATH: strerror".
Result<SecretString> read_secret_file(const std::string& path);

} // namespace wgx
