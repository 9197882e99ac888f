#pragma once
// `wgx-quick strip`: the reader's front door for wg-quick files.
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret_string.hpp"

namespace wgx::config {

/// Output of `wg-quick strip FILE` for the file at `path` (already resolved; no
/// /etc/wireguard lookup here): byte-identical to wg-quick's for valid files. Deliberate
/// difference: wg-quick passes wg lines through unchecked, this validates the whole file
/// (wg keys and wg-quick keys) and fails with "PATH:LINE: <message>" on the first bad line.
Result<SecretString> strip_config(const std::string& path);
/// Same for text in memory; `source` names it in errors.
Result<SecretString> strip_config_text(std::string_view text, const std::string& source);

} // namespace wgx::config
