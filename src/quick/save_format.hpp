#pragma once
// The file `wg-quick save` writes: the live `wg showconf` with its "[Interface]" line replaced
// by the wg-quick keys (live addresses, DNS servers and MTU; Table, SaveConfig and hooks from
// the file).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip.hpp"
#include "base/secret_string.hpp"
#include "config/config_reader.hpp"

namespace wgx::quick {

/// The live state save_config() reads besides showconf.
struct LiveState {
    std::vector<IpPrefix> addresses; // `ip -brief address show dev IF` order
    std::vector<std::string> nameservers;
    unsigned mtu = 0; // the link's MTU
};

/// The saved file, byte-identical to wg-quick's: `showconf` (trailing newlines dropped, as
/// `$(...)` does) with its first "[Interface]\n" replaced, plus one newline.
/// Holds the keys, so it is built in wiping memory.
SecretString saved_config(std::string_view showconf, const LiveState& live,
                          const config::QuickSettings& settings);

} // namespace wgx::quick
