#pragma once
// One writer at a time per config directory: addpeer and rmpeer read every file of the
// directory to pick a free address, so two of them must not interleave.
#include <string>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace wgx::quick {

/// Takes an exclusive flock(2) on the directory holding `config_file` (nothing is created;
/// the lock goes with the returned descriptor), waiting for the holder to finish.
Result<UniqueFd> lock_config_directory(const std::string& config_file);

/// The directory part of a path ("." when it has none).
std::string directory_of(const std::string& path);

} // namespace wgx::quick
