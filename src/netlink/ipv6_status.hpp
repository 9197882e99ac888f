#pragma once
// What this host (network namespace) does with IPv6: whether it is there at all, and which
// global addresses it has. One implementation for every caller (wgx-quick's checks at up, and
// any diagnosis command), so their answers cannot disagree.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip.hpp"

namespace wgx::netlink {

struct Ipv6Status {
    /// Set when IPv6 cannot be used: why, in one phrase ("IPv6 is disabled on this host
    /// (net.ipv6.conf.default.disable_ipv6 = 1)").
    std::optional<std::string> disabled;
    /// Global-scope addresses and their interfaces, from /proc/net/if_inet6.
    struct Address {
        std::string interface;
        IpAddress address;
    };
    std::vector<Address> global;
};

/// Reads /proc/sys/net/ipv6 and /proc/net/if_inet6 (`proc` is the /proc root; tests pass a
/// directory of their own).
Ipv6Status ipv6_status(const std::string& proc = "/proc");

/// Parses /proc/net/if_inet6 text: global-scope (scope 00) addresses only.
std::vector<Ipv6Status::Address> global_ipv6_addresses(std::string_view if_inet6);

} // namespace wgx::netlink
