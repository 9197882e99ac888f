#include "cli/route_verdict.hpp"

#include <cstdio>

namespace wgx::cli {

namespace {

std::string prefix_text(const IpPrefix& p) {
    return p.address.to_string() + "/" + std::to_string(p.cidr);
}

} // namespace

std::string table_name(std::uint32_t table) {
    switch (table) {
    case 255:
        return "local";
    case 254:
        return "main";
    case 253:
        return "default";
    default:
        return std::to_string(table);
    }
}

std::string describe_rule(const netlink::RuleEntry& rule) {
    const auto& s = rule.spec;
    std::string out = s.invert ? "not from all" : "from all";
    if (s.fwmark) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%x", *s.fwmark);
        out += std::string(" fwmark ") + buf;
    }
    out += " lookup " + table_name(s.table);
    if (s.suppress_prefixlength)
        out += " suppress_prefixlength " + std::to_string(*s.suppress_prefixlength);
    if (rule.other_selectors)
        out += " (and selectors wgx does not show)";
    return out;
}

std::optional<std::uint32_t> selecting_rule(const std::vector<netlink::RuleEntry>& rules,
                                            const netlink::RouteLookup& route, std::uint32_t mark) {
    for (const auto& r : rules) {
        if (r.other_selectors)
            return std::nullopt; // it may or may not match: no honest answer
        bool matches = !r.spec.fwmark || *r.spec.fwmark == mark;
        if (r.spec.invert)
            matches = !matches;
        if (!matches || r.spec.table != route.table)
            continue;
        if (r.spec.suppress_prefixlength && route.prefix.cidr <= *r.spec.suppress_prefixlength)
            continue;
        return r.priority;
    }
    return std::nullopt;
}

RouteVerdict judge_route(const IpAddress& address, const std::optional<netlink::RouteLookup>& route,
                         const std::string& out_interface,
                         const std::vector<WireguardMatch>& wireguard) {
    const std::string addr = address.to_string();
    const WireguardMatch* into = nullptr;
    for (const auto& w : wireguard)
        if (route && !out_interface.empty() && w.device->device.name == out_interface)
            into = &w;
    if (into) {
        const auto& chosen = into->match.chosen;
        if (!chosen)
            return {false, addr + " is routed into " + out_interface + ", but no peer of " +
                               out_interface + " has it in its allowed IPs, so " + out_interface +
                               " drops it"};
        return {true, addr + " goes into " + out_interface + " and peer " +
                          peer_label(*into->device, *chosen->peer) + " takes it via " +
                          prefix_text(chosen->prefix)};
    }
    for (const auto& w : wireguard) {
        if (!w.match.chosen)
            continue;
        std::string via = !route ? "nowhere (no route)"
                          : out_interface.empty()
                              ? "no interface (a " + table_name(route->table) + " table " +
                                    std::string(route->type == 6 ? "blackhole" : "non-unicast") +
                                    " route)"
                              : out_interface;
        return {false, addr + " matches peer " + peer_label(*w.device, *w.match.chosen->peer) +
                           " via " + prefix_text(w.match.chosen->prefix) +
                           ", but the kernel routes it via " + via + ", not " +
                           w.device->device.name};
    }
    if (!route)
        return {true, addr + " has no route, and no WireGuard peer claims it"};
    return {true,
            addr + " does not go through WireGuard" +
                (out_interface.empty() ? std::string() : " (it leaves via " + out_interface + ")")};
}

} // namespace wgx::cli
