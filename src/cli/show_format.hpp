#pragma once
// The text `wg show` prints for one device: the pretty form, `dump`, and each field selector.
// Pure functions of the device and the clock, so every byte can be unit-tested.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_string.hpp"
#include "config/peer_names.hpp"
#include "config/runtime_file.hpp"
#include "model/device.hpp"

namespace wgx::cli {

/// How the pretty form looks: colour, whether keys are shown, and "now" for "... ago".
struct PrettyStyle {
    bool color = false;
    /// WG_HIDE_KEYS=never shows private and preshared keys; anything else hides them.
    bool hide_keys = true;
    std::time_t now = 0;
    /// `wgx show --names`: printed as "peer: KEY (NAME)"; empty for wg's form.
    std::vector<config::PeerName> names;
    /// `wgx show --names`: the host name behind an endpoint, printed as
    /// "endpoint: ADDRESS:PORT (HOST)"; empty for wg's form.
    std::vector<config::EndpointName> endpoint_hosts;
};

/// `wg show IF`: the interface block and the peers, most recent handshake first.
/// The texts that can carry the private or preshared keys are SecretStrings (wiped when freed).
SecretString format_pretty(const model::Device& device, const PrettyStyle& style);
/// `wg show IF dump` (with_interface: `wg show all dump`, the name as first column).
SecretString format_dump(const model::Device& device, bool with_interface);
/// One field selector (public-key, peers, endpoints, ...); nullopt for an unknown one.
std::optional<SecretString> format_field(const model::Device& device, std::string_view field,
                                         bool with_interface);

/// "1 minute, 3 seconds" (each unit coloured cyan as wg does; strip for plain text).
std::string format_duration(unsigned long long seconds);
/// "1.21 KiB" with the unit coloured.
std::string format_bytes(std::uint64_t bytes);
/// An endpoint as getnameinfo(NI_NUMERICHOST|NI_NUMERICSERV) prints it: "1.2.3.4:5",
/// "[fd00::1]:5", "[fe80::1%eth0]:5".
std::string format_endpoint(const Endpoint& endpoint);

} // namespace wgx::cli
