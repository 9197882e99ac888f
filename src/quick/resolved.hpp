#pragma once
// systemd-resolved's D-Bus API (org.freedesktop.resolve1.Manager on the system bus) through
// sd-bus: per-link DNS servers and domains, set at up and reverted at down. The bus is the one
// sd-bus opens for the system ($DBUS_SYSTEM_BUS_ADDRESS when set, which the tests use).
#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "quick/dns_backend.hpp"

namespace wgx::quick {

/// Whether org.freedesktop.resolve1 has an owner on the system bus (false without a bus).
bool resolved_on_bus();

/// The `resolvectl` commands a user would type for what resolved_set_link() does, in order.
std::vector<std::string> resolved_commands(const std::string& interface, const DnsSettings& s);

/// SetLinkDNS, then SetLinkDomains when there are domains, then SetLinkDefaultRoute(true) when
/// s.default_route(). Servers that are not IP addresses, and a bus that does not answer, are
/// refused before any call; `before_first_call` runs just before the first (to record the undo).
Result<void> resolved_set_link(int ifindex, const DnsSettings& s,
                               const std::function<void()>& before_first_call);

/// RevertLink: the link's DNS settings back to resolved's own. A link resolved no longer knows
/// (it went away with its interface) is not an error.
Result<void> resolved_revert_link(int ifindex);

} // namespace wgx::quick
