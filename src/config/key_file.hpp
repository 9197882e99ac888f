#pragma once
// PrivateKeyFile / PresharedKeyFile: a key kept in its own file, so the configuration can be
// shown to others without the secret. The file must be as private as the key.
#include <string>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// Reads the base64 key in the file at `path` (surrounding whitespace allowed). Refuses, with
/// one line naming the file, a file that group or others may read or write, one owned by anyone
/// but root or the user running us (so a root `up` takes only root's files), a file that is not
/// regular, and one that holds no valid key. The text read is wiped before returning.
Result<model::Key> read_protected_key_file(const std::string& path);

} // namespace wgx::config
