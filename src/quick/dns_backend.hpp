#pragma once
// Which of the three DNS backends `up` uses, and what the file's DNS = line asks of it: servers,
// search domains, and `~` domains that only route queries (split DNS, as in resolvectl).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_reader.hpp"

namespace wgx::quick {

enum class DnsBackend { resolved, resolvconf, file };

/// "resolved", "resolvconf" or "file"; nullopt for anything else.
std::optional<DnsBackend> parse_dns_backend(std::string_view name);
std::string_view dns_backend_name(DnsBackend backend);

/// The automatic choice: systemd-resolved when it owns its bus name, else resolvconf when it
/// is installed, else /etc/resolv.conf itself. `forced` (--dns-backend=) wins.
DnsBackend choose_dns_backend(std::optional<DnsBackend> forced, bool resolved_on_bus,
                              bool resolvconf_installed);

/// What the DNS = entries ask for.
struct DnsSettings {
    std::vector<std::string> servers;
    /// Domains searched for single-label names and routed to the servers.
    std::vector<std::string> search;
    /// `~NAME` entries without the `~`: only queries under NAME go to these servers. "." (from
    /// `~.`) means every query.
    std::vector<std::string> routing;
    /// The interface carries a default route (0.0.0.0/0 or ::/0 in some AllowedIPs).
    bool full_tunnel = false;

    /// resolved's DefaultRoute: the servers answer every query not claimed by another link's
    /// domain, which a full tunnel wants unless the file asked for routing-only domains.
    bool default_route() const { return full_tunnel && routing.empty(); }
};

/// The settings of a configuration file.
DnsSettings dns_settings(const config::ConfigFile& config);

/// For backends without routing-only domains: the search list with the `~` domains folded in
/// (`~.` has no search equivalent and is dropped), and one warning per folded domain.
std::vector<std::string> search_with_routing(const DnsSettings& s,
                                             std::vector<std::string>* warnings);

} // namespace wgx::quick
