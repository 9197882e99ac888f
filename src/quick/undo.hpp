#pragma once
// What `up` did that outlives nothing else: every change that does not vanish with the
// interface has an Undo, a value that can be shown (the equivalent command), written to the
// record under /run/wgx-quick and read back by `down`.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "netlink/rule.hpp"

namespace wgx::quick {

/// Delete the interface (addresses and routes go with it); ends a userspace engine.
struct DeleteLink {
    std::string interface;
    bool operator==(const DeleteLink&) const = default;
};
/// `resolvconf -d NAME -f`.
struct UnsetDns {
    std::string resolvconf_name;
    bool operator==(const UnsetDns&) const = default;
};
/// `ip rule delete ...` of a rule up added.
struct DeleteRule {
    netlink::RuleSpec rule;
    bool operator==(const DeleteRule&) const = default;
};
/// Put a sysctl back to the value it had before up.
struct RestoreSysctl {
    std::string key;
    std::string value;
    bool operator==(const RestoreSysctl&) const = default;
};
/// `nft delete table FAMILY NAME`.
struct DeleteNftTable {
    std::string family; // "ip" or "ip6"
    std::string table;
    bool operator==(const DeleteNftTable&) const = default;
};

/// `resolvectl revert IF`: systemd-resolved drops the DNS servers and domains up gave the link.
struct RevertResolvedLink {
    std::string interface;
    int ifindex = 0; // the link as it was at up (the name may be gone or reused by then)
    bool operator==(const RevertResolvedLink&) const = default;
};
/// /etc/resolv.conf back from the copy up made of it before rewriting it.
struct RestoreResolvConf {
    std::string interface;
    bool operator==(const RestoreResolvConf&) const = default;
};

using Undo = std::variant<DeleteLink, UnsetDns, DeleteRule, RestoreSysctl, DeleteNftTable,
                          RevertResolvedLink, RestoreResolvConf>;

/// The command a user would type to make the same change by hand.
std::string command_of(const Undo& undo);
/// The `ip rule add` command for a rule (what `up` echoes).
std::string rule_command(const char* verb, const netlink::RuleSpec& rule);

/// One line of the record (no newline); parse_record_line reads it back.
std::string record_line(const Undo& undo);
std::optional<Undo> parse_record_line(std::string_view line);

/// The whole record: one line per undo, in the order the changes were made.
std::string record_text(const std::vector<Undo>& undos);
/// Reads a record; unreadable lines are skipped (a record is never a reason not to clean up).
std::vector<Undo> parse_record(std::string_view text);

} // namespace wgx::quick
