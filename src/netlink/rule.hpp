#pragma once
// Policy routing rules: the two wg-quick adds for a default route through the tunnel,
// `not fwmark M table T` and `table main suppress_prefixlength 0`.
#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.hpp"
#include "netlink/socket.hpp"

namespace wgx::netlink {

/// A rule with only the selectors wg-quick uses.
struct RuleSpec {
    int family = 0; // AF_INET or AF_INET6
    std::uint32_t table = 254;
    std::optional<std::uint32_t> fwmark;
    bool invert = false; // `not`
    std::optional<std::uint32_t> suppress_prefixlength;

    bool operator==(const RuleSpec&) const = default;
};

/// `ip -4|-6 rule add ...` (priority chosen by the kernel). Undo: delete_rule.
Result<void> add_rule(Socket& sock, const RuleSpec& spec);
/// `ip -4|-6 rule delete ...`: removes the first rule matching every field given.
Result<void> delete_rule(Socket& sock, const RuleSpec& spec);

/// A rule as listed by `ip rule show`.
struct RuleEntry {
    RuleSpec spec;
    std::uint32_t priority = 0;
    /// Selects on something RuleSpec does not hold (from/to prefix, iif, oif, ...).
    bool other_selectors = false;
};

/// Every rule of `family`, in the kernel's order.
Result<std::vector<RuleEntry>> list_rules(Socket& sock, int family);

} // namespace wgx::netlink
