#pragma once
// Whether the system's route for an address and WireGuard's cryptokey routing agree, as one
// sentence: the core of `wgx route`. Pure, so every case is unit-tested.
#include <optional>
#include <string>
#include <vector>

#include "cli/cryptokey_match.hpp"
#include "netlink/route_lookup.hpp"
#include "netlink/rule.hpp"

namespace wgx::cli {

/// A WireGuard interface and what its cryptokey routing does with the address.
struct WireguardMatch {
    const NamedDevice* device = nullptr;
    CryptokeyMatch match;
};

struct RouteVerdict {
    bool agree = true;
    std::string sentence;
};

/// `address` went to `route` (nullopt: unreachable) through the link `out_interface` ("" when
/// none); `wireguard` holds every WireGuard interface considered.
RouteVerdict judge_route(const IpAddress& address, const std::optional<netlink::RouteLookup>& route,
                         const std::string& out_interface,
                         const std::vector<WireguardMatch>& wireguard);

/// "main", "local", "default" or the number.
std::string table_name(std::uint32_t table);
/// A rule as `ip rule` prints it, without the priority: "not from all fwmark 0xca6c lookup
/// 51820", "from all lookup main suppress_prefixlength 0".
std::string describe_rule(const netlink::RuleEntry& rule);
/// The priority of the rule that sent a packet with `mark` to `route`'s table: the first rule
/// that matches the mark, looks the table up, and whose suppress_prefixlength does not reject
/// the route. nullopt when it cannot be told (a rule with selectors wgx does not read).
std::optional<std::uint32_t> selecting_rule(const std::vector<netlink::RuleEntry>& rules,
                                            const netlink::RouteLookup& route, std::uint32_t mark);

} // namespace wgx::cli
