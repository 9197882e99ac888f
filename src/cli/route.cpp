// `route`: what the system does with a packet to ADDRESS -- the policy rules, the table and
// route the kernel picks (honouring --from and --mark) -- and, when the route goes into a
// WireGuard interface, which peer cryptokey routing picks and how that peer's endpoint is
// reached (looked up with the interface's fwmark, as the engine's packets carry it). Exit 0
// when the kernel and cryptokey routing agree, 1 (with one sentence) when not, 2 on errors.
#include <charconv>
#include <cstdio>
#include <net/if.h>

#include "cli/commands.hpp"
#include "cli/device_snapshot.hpp"
#include "cli/json_text.hpp"
#include "cli/output.hpp"
#include "cli/route_verdict.hpp"
#include "cli/show_format.hpp"
#include "netlink/link.hpp"

namespace wgx::cli {

namespace {

struct RouteArgs {
    std::string interface;
    IpAddress address;
    std::optional<IpAddress> from;
    std::uint32_t mark = 0;
    bool json = false;
};

constexpr int EXIT_DISAGREE = 1, EXIT_ERROR = 2;

int usage(const Invocation& inv) {
    std::fprintf(stderr,
                 "Usage: %s %s [<interface>] <address> [--from <address>] [--mark <mark>] "
                 "[--json]\n",
                 inv.prog.c_str(), inv.args[0].c_str());
    return EXIT_ERROR;
}

std::optional<std::uint32_t> parse_mark(const std::string& text) {
    std::string_view s = text;
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

std::optional<RouteArgs> parse(const Invocation& inv) {
    RouteArgs r;
    std::vector<std::string> positional;
    const auto& a = inv.args;
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (a[i] == "--json") {
            r.json = true;
        } else if ((a[i] == "--from" || a[i] == "--mark") && i + 1 < a.size()) {
            const std::string& v = a[++i];
            if (a[i - 1] == "--from") {
                r.from = IpAddress::parse(v);
                if (!r.from) {
                    std::fprintf(stderr, "Invalid source address: `%s'\n", v.c_str());
                    return std::nullopt;
                }
            } else if (auto m = parse_mark(v)) {
                r.mark = *m;
            } else {
                std::fprintf(stderr, "Invalid mark: `%s'\n", v.c_str());
                return std::nullopt;
            }
        } else if (!a[i].empty() && a[i][0] != '-') {
            positional.push_back(a[i]);
        } else {
            std::fprintf(stderr, "Invalid argument: `%s'\n", a[i].c_str());
            return std::nullopt;
        }
    }
    if (positional.empty() || positional.size() > 2)
        return std::nullopt;
    if (positional.size() == 2)
        r.interface = positional[0];
    auto address = IpAddress::parse(positional.back());
    if (!address) {
        std::fprintf(stderr, "Invalid address: `%s'\n", positional.back().c_str());
        return std::nullopt;
    }
    r.address = *address;
    if (r.from && r.from->family != r.address.family) {
        std::fprintf(stderr, "The source and destination address families differ\n");
        return std::nullopt;
    }
    return r;
}

std::string link_name(netlink::Socket& sock, int index) {
    if (!index)
        return "";
    auto link = netlink::find_link(sock, index);
    return link && *link ? (*link)->name : "if" + std::to_string(index);
}

std::string mark_text(std::uint32_t mark) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", mark);
    return buf;
}

std::string prefix_text(const IpPrefix& p) {
    return p.address.to_string() + "/" + std::to_string(p.cidr);
}

std::string json_or_null(const std::optional<std::string>& s) {
    return s ? json_string(*s) : "null";
}

/// How the chosen peer's endpoint is reached: "dev vA src 192.0.2.1", or why not.
struct EndpointPath {
    std::optional<std::string> endpoint, dev, source;
};

EndpointPath endpoint_path(netlink::Socket& sock, const NamedDevice& nd, const model::Peer& peer) {
    EndpointPath p;
    if (!peer.endpoint || !peer.endpoint->valid())
        return p;
    p.endpoint = format_endpoint(*peer.endpoint);
    auto route = netlink::lookup_route(
        sock, {peer.endpoint->address(), std::nullopt, nd.device.fwmark.value_or(0)});
    if (route && *route) {
        p.dev = link_name(sock, (*route)->oif);
        if ((*route)->source)
            p.source = (*route)->source->to_string();
    }
    return p;
}

} // namespace

int route_main(const Invocation& inv) {
    if (inv.args.size() == 2 && (inv.args[1] == "--help" || inv.args[1] == "-h")) {
        usage(inv);
        return 0;
    }
    auto args = parse(inv);
    if (!args)
        return usage(inv);
    auto sock = netlink::Socket::open();
    if (!sock) {
        std::fprintf(stderr, "%s\n", sock.error().message.c_str());
        return EXIT_ERROR;
    }
    auto rules = netlink::list_rules(*sock, args->address.family);
    auto route = netlink::lookup_route(*sock, {args->address, args->from, args->mark});
    if (!rules || !route) {
        std::fprintf(stderr, "%s\n", (!rules ? rules.error() : route.error()).message.c_str());
        return EXIT_ERROR;
    }
    auto devices = read_named_devices(args->interface);
    if (!devices) {
        print_errno(args->interface.empty() ? "Unable to list interfaces"
                                            : "Unable to access interface",
                    devices.error());
        return EXIT_ERROR;
    }
    std::string out_if = *route ? link_name(*sock, (*route)->oif) : "";
    std::vector<WireguardMatch> matches;
    for (const auto& nd : *devices)
        matches.push_back({&nd, match_cryptokey(nd.device, args->address)});
    RouteVerdict verdict = judge_route(args->address, *route, out_if, matches);

    const WireguardMatch* into = nullptr;
    for (const auto& m : matches)
        if (*route && m.device->device.name == out_if)
            into = &m;
    // The priority of the rule that chose the table, -1 when it cannot be told.
    long long rule = -1;
    if (*route)
        if (auto chosen = selecting_rule(*rules, **route, args->mark))
            rule = *chosen;
    EndpointPath path;
    if (into && into->match.chosen)
        path = endpoint_path(*sock, *into->device, *into->match.chosen->peer);

    std::string text;
    if (args->json) {
        text = "{\n  \"address\": " + json_string(args->address.to_string()) + ",\n  \"from\": " +
               json_or_null(args->from ? std::optional(args->from->to_string()) : std::nullopt) +
               ",\n  \"mark\": " + std::to_string(args->mark) + ",\n  \"rules\": [";
        for (std::size_t i = 0; i < rules->size(); ++i)
            text += std::string(i ? "," : "") +
                    "\n    {\"priority\": " + std::to_string((*rules)[i].priority) +
                    ", \"rule\": " + json_string(describe_rule((*rules)[i])) + "}";
        text += rules->empty() ? "],\n" : "\n  ],\n";
        text += "  \"selected_by_rule\": " + (rule >= 0 ? std::to_string(rule) : "null") + ",\n";
        if (*route) {
            const auto& r = **route;
            text += "  \"route\": {\"prefix\": " + json_string(prefix_text(r.prefix)) +
                    ", \"table\": " + std::to_string(r.table) +
                    ", \"type\": " + std::to_string(r.type) + ", \"dev\": " +
                    json_or_null(out_if.empty() ? std::nullopt : std::optional(out_if)) +
                    ", \"gateway\": " +
                    json_or_null(r.gateway ? std::optional(r.gateway->to_string()) : std::nullopt) +
                    ", \"source\": " +
                    json_or_null(r.source ? std::optional(r.source->to_string()) : std::nullopt) +
                    "},\n";
        } else {
            text += "  \"route\": null,\n";
        }
        if (into && into->match.chosen) {
            const auto& c = *into->match.chosen;
            text += "  \"wireguard\": {\"interface\": " + json_string(into->device->device.name) +
                    ", \"public_key\": " + json_string(c.peer->public_key.to_base64()) +
                    ", \"name\": " + json_or_null(into->device->name_of(*c.peer)) +
                    ", \"prefix\": " + json_string(prefix_text(c.prefix)) + ", \"shadowed\": [";
            for (std::size_t i = 0; i < into->match.shadowed.size(); ++i) {
                const auto& s = into->match.shadowed[i];
                text += std::string(i ? ", " : "") +
                        "{\"prefix\": " + json_string(prefix_text(s.prefix)) +
                        ", \"public_key\": " + json_string(s.peer->public_key.to_base64()) + "}";
            }
            text += "], \"endpoint\": " + json_or_null(path.endpoint) +
                    ", \"endpoint_dev\": " + json_or_null(path.dev) +
                    ", \"endpoint_source\": " + json_or_null(path.source) + "},\n";
        } else {
            text += "  \"wireguard\": null,\n";
        }
        text += "  \"agree\": " + std::string(verdict.agree ? "true" : "false") +
                ",\n  \"verdict\": " + json_string(verdict.sentence) + "\n}\n";
    } else {
        text = std::string("policy rules (") + (args->address.is_v4() ? "IPv4" : "IPv6") + "):\n";
        for (const auto& r : *rules)
            text += "  " + std::to_string(r.priority) + ": " + describe_rule(r) +
                    (rule == static_cast<long long>(r.priority) ? "   <- this packet" : "") + "\n";
        text += "route: " + args->address.to_string();
        if (args->from)
            text += " from " + args->from->to_string();
        if (args->mark)
            text += " mark " + mark_text(args->mark);
        if (*route) {
            const auto& r = **route;
            text += ": table " + table_name(r.table) + ", " + prefix_text(r.prefix);
            if (r.gateway)
                text += " via " + r.gateway->to_string();
            if (!out_if.empty())
                text += " dev " + out_if;
            if (r.source)
                text += " src " + r.source->to_string();
            text += "\n";
        } else {
            text += ": none (unreachable)\n";
        }
        if (into && into->match.chosen) {
            const auto& c = *into->match.chosen;
            text += "peer: " + peer_label(*into->device, *c.peer) + " via " +
                    prefix_text(c.prefix) + " on " + into->device->device.name + "\n";
            for (const auto& s : into->match.shadowed)
                text += "  shadows " + prefix_text(s.prefix) + " of peer " +
                        peer_label(*into->device, *s.peer) + "\n";
            if (path.endpoint) {
                text += "endpoint: " + *path.endpoint;
                if (path.dev)
                    text += " via dev " + *path.dev + (path.source ? " src " + *path.source : "");
                else
                    text += " (no route to it)";
                auto fwmark = into->device->device.fwmark.value_or(0);
                text += fwmark ? " (fwmark " + mark_text(fwmark) + ")\n" : "\n";
            } else {
                text += "endpoint: none yet (the peer must reach us first)\n";
            }
        }
        text += verdict.sentence + "\n";
    }
    write_out(text);
    return verdict.agree ? 0 : EXIT_DISAGREE;
}

} // namespace wgx::cli
