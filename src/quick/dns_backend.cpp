#include "quick/dns_backend.hpp"

namespace wgx::quick {

std::optional<DnsBackend> parse_dns_backend(std::string_view name) {
    if (name == "resolved")
        return DnsBackend::resolved;
    if (name == "resolvconf")
        return DnsBackend::resolvconf;
    if (name == "file")
        return DnsBackend::file;
    return std::nullopt;
}

std::string_view dns_backend_name(DnsBackend backend) {
    switch (backend) {
    case DnsBackend::resolved:
        return "resolved";
    case DnsBackend::resolvconf:
        return "resolvconf";
    case DnsBackend::file:
        return "file";
    }
    return "file";
}

DnsBackend choose_dns_backend(std::optional<DnsBackend> forced, bool resolved_on_bus,
                              bool resolvconf_installed) {
    if (forced)
        return *forced;
    if (resolved_on_bus)
        return DnsBackend::resolved;
    if (resolvconf_installed)
        return DnsBackend::resolvconf;
    return DnsBackend::file;
}

DnsSettings dns_settings(const config::ConfigFile& config) {
    DnsSettings s;
    s.servers = config.quick.dns;
    for (const auto& d : config.quick.dns_search) {
        if (d.size() > 1 && d[0] == '~')
            s.routing.push_back(d.substr(1));
        else if (d != "~")
            s.search.push_back(d);
    }
    for (const auto& p : config.device.peers)
        for (const auto& a : p.allowed_ips)
            if (a.prefix.cidr == 0)
                s.full_tunnel = true;
    return s;
}

std::vector<std::string> search_with_routing(const DnsSettings& s,
                                             std::vector<std::string>* warnings) {
    std::vector<std::string> out = s.search;
    for (const auto& d : s.routing) {
        if (d == ".") {
            if (warnings)
                warnings->push_back("~. (every query through the tunnel) has no search-list "
                                    "equivalent and is left out");
            continue;
        }
        if (warnings)
            warnings->push_back("~" + d + " becomes the search domain " + d +
                                " (this backend has no routing-only domains)");
        out.push_back(d);
    }
    return out;
}

} // namespace wgx::quick
