#pragma once
// What the file looked like at `up`, so that `save` can tell whether someone edited it since
// and refuse to write over their edits.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace wgx::quick {

/// BLAKE2s-256 of the text, in hex.
std::string config_digest(std::string_view text);

/// state_dir()/IF.source: the digest of the file `up` read (0600, atomically).
Result<void> remember_config_digest(const std::string& interface, std::string_view text);
/// The remembered digest; nullopt when up did not leave one (wg-quick brought it up).
std::optional<std::string> remembered_config_digest(const std::string& interface);
/// Removes it (down).
void forget_config_digest(const std::string& interface);

} // namespace wgx::quick
