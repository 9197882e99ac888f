#pragma once
// The configuration writer: exactly what `wg showconf` prints for a device read back by get.
#include <string>

#include "base/secret_string.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// `wg showconf` output, byte for byte: "[Interface]", ListenPort (if non-zero), FwMark as
/// 0x<hex> (if non-zero), PrivateKey (if present), a blank line, then each peer: PublicKey,
/// PresharedKey (if present and non-zero), AllowedIPs joined with ", ", Endpoint ("[v6]:port"),
/// PersistentKeepalive (if non-zero), peers separated by a blank line. It holds the keys, so it
/// is built in wiping memory.
SecretString write_showconf(const model::Device& device);

} // namespace wgx::config
