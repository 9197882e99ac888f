#pragma once
// Reading and writing text that may hold keys (a config, a client's file, `show` output)
// without a buffer that outlives it unwiped: a stream or stdio keeps copies of what passes
// through it in buffers of its own.
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret_string.hpp"

namespace wgx {

/// The whole file, read(2) straight into a SecretString. Errors are "PATH: strerror".
Result<SecretString> read_secret_file(const std::string& path);

/// All of `text` to `fd` with write(2), retried on EINTR and short writes. Callers that also use
/// stdio on the same descriptor flush it first.
Result<void> write_all(int fd, std::string_view text);

} // namespace wgx
