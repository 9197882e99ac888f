// `wgx-quick up`: wg-quick's cmd_up() in its order, each change echoed, rolled back on failure.
#include <cerrno>
#include <cstdio>

#include "base/secret_file.hpp"
#include "config/config_reader.hpp"
#include "config/endpoint_names.hpp"
#include "config/runtime_file.hpp"
#include "ipc/ipc.hpp"
#include "netlink/address.hpp"
#include "netlink/ipv6_status.hpp"
#include "netlink/link.hpp"
#include "netlink/route.hpp"
#include "netlink/rule.hpp"
#include "netlink/sysctl.hpp"
#include "quick/config_digest.hpp"
#include "quick/context.hpp"
#include "quick/dns.hpp"
#include "quick/dns_backend.hpp"
#include "quick/firewall.hpp"
#include "quick/hooks.hpp"
#include "quick/interface.hpp"
#include "quick/mtu.hpp"
#include "quick/process.hpp"
#include "quick/record.hpp"
#include "quick/resolv_conf_file.hpp"
#include "quick/resolved.hpp"
#include "quick/routing.hpp"
#include "quick/system_undo.hpp"

namespace wgx::quick {

namespace {

const char* family_flag(const IpAddress& a) {
    return a.is_v6() ? "-6" : "-4";
}

/// One `up` in progress.
class Up {
  public:
    Up(Context& ctx, netlink::Socket& sock, TableChoice table)
        : ctx_(ctx), sock_(sock), table_(table),
          plan_([this](const std::vector<Undo>& undos) { persist(undos); }) {
        if (auto fw = ctx.config.device.fwmark; fw && *fw)
            fwmark_ = *fw;
    }

    Result<void> run() {
        const auto& q = ctx_.config.quick;
        if (auto r = step(run_hooks(q.pre_up, ctx_.interface, ctx_.config_file, ctx_.echo)); !r)
            return r;
        if (auto r = step(add_interface(sock_, ctx_.interface, plan_, ctx_.echo)); !r)
            return r;
        if (auto r = step(set_config()); !r)
            return r;
        if (auto r = step(find_index()); !r)
            return r;
        for (const auto& a : q.addresses) {
            // A host address is shown as written most often: without "/32" or "/128".
            std::string text =
                a.cidr == a.address.max_prefix() ? a.address.to_string() : a.to_string();
            ctx_.echo(std::string("ip ") + family_flag(a.address) + " address add " + text +
                      " dev " + ctx_.interface);
            if (auto r = step(netlink::add_address(sock_, ifindex_, a)); !r)
                return r;
        }
        if (auto r = step(set_mtu_up()); !r)
            return r;
        if (auto r = step(set_dns()); !r)
            return r;
        for (const auto& p : routes_in_order(ctx_.config.device))
            if (auto r = step(add_route(p)); !r)
                return r;
        if (auto r = step(set_forwarding()); !r)
            return r;
        if (auto r = step(set_masquerade()); !r)
            return r;
        return step(run_hooks(q.post_up, ctx_.interface, ctx_.config_file, ctx_.echo));
    }

    /// Undoes everything, last change first.
    void rollback() {
        SystemUndoRunner runner(sock_);
        plan_.rollback(runner, ctx_.echo, [&](const std::string& m) {
            std::fprintf(stderr, "%s: %s\n", ctx_.program.c_str(), m.c_str());
        });
    }

  private:
    /// A step's result, turned into a failure when a signal arrived meanwhile.
    Result<void> step(Result<void> r) {
        if (r && pending_signal())
            return make_error(
                std::string("Interrupted by signal ") + std::to_string(pending_signal()), EINTR);
        return r;
    }

    void persist(const std::vector<Undo>& undos) {
        if (auto r = write_record(ctx_.interface, undos); !r)
            std::fprintf(stderr, "%s: %s\n", ctx_.program.c_str(), r.error().message.c_str());
    }

    Result<void> set_config() {
        ctx_.echo("wg setconf " + ctx_.interface + " <(" + ctx_.program + " strip " +
                  ctx_.config_file + ")");
        model::Device& dev = ctx_.config.device;
        if (auto r = config::resolve_endpoints(dev); !r)
            return r;
        dev.name = ctx_.interface;
        dev.replace_peers = true;
        if (auto r = ipc::set_device(dev); !r)
            return make_error("Unable to modify interface: " + r.error().message, r.error().code);
        return {};
    }

    Result<void> find_index() {
        auto l = netlink::find_link(sock_, ctx_.interface);
        if (!l)
            return l.error();
        if (!*l)
            return make_error("Cannot find device \"" + ctx_.interface + "\"", ENODEV);
        ifindex_ = (*l)->index;
        return {};
    }

    Result<void> set_mtu_up() {
        unsigned mtu = 0;
        if (ctx_.config.quick.mtu) {
            mtu = *ctx_.config.quick.mtu;
        } else {
            std::vector<Endpoint> endpoints;
            for (const auto& p : ctx_.config.device.peers)
                if (p.endpoint)
                    endpoints.push_back(*p.endpoint);
            NetlinkRouteLookup lookup(sock_);
            mtu = automatic_mtu(endpoints, lookup);
        }
        ctx_.echo("ip link set mtu " + std::to_string(mtu) + " up dev " + ctx_.interface);
        return netlink::set_link_mtu_up(sock_, ifindex_, mtu);
    }

    /// Forward = true: forwarding on for both families (IPv6 only where the host has it),
    /// each sysctl put back at down.
    Result<void> set_forwarding() {
        if (!ctx_.config.quick.forward)
            return {};
        for (const char* key : {"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"}) {
            auto old = netlink::read_sysctl(key);
            if (!old) {
                if (std::string(key).find("ipv6") != std::string::npos)
                    continue; // no IPv6 on this host: nothing to forward
                return old.error();
            }
            if (*old == "1")
                continue;
            ctx_.echo(std::string("sysctl -q ") + key + "=1");
            if (auto r = netlink::write_sysctl(key, "1"); !r)
                return r;
            plan_.done(RestoreSysctl{key, *old});
        }
        return {};
    }

    /// Masquerade = auto | IFACE: one nftables table of wgx's own that rewrites the source of
    /// what leaves IFACE after coming out of the tunnel.
    Result<void> set_masquerade() {
        const auto& m = ctx_.config.quick.masquerade;
        if (!m)
            return {};
        std::string out = *m;
        if (out == "auto") {
            NetlinkRouteLookup lookup(sock_);
            auto def = lookup.first_default_route();
            if (!def || def->oif <= 0)
                return make_error("Masquerade = auto: this host has no IPv4 default route to "
                                  "take the interface from",
                                  ENETUNREACH);
            auto link = netlink::find_link(sock_, def->oif);
            if (!link || !*link)
                return make_error("Masquerade = auto: the default route's interface is gone",
                                  ENODEV);
            out = (*link)->name;
        }
        const std::string table = "wgx-quick-" + ctx_.interface;
        std::string ruleset = "add table inet " + table + "\n" + "add chain inet " + table +
                              " postrouting { type nat hook postrouting priority srcnat; }\n" +
                              "add rule inet " + table + " postrouting iifname \"" +
                              ctx_.interface + "\" oifname \"" + out + "\" masquerade\n";
        ctx_.echo("nft -f - <<'EOF'\n" + ruleset + "EOF");
        if (auto r = nft_run(ruleset); !r)
            return r;
        plan_.done(DeleteNftTable{"inet", table});
        return {};
    }

    /// DNS through the backend --dns-backend= names, else the first of systemd-resolved (owning
    /// its bus name), resolvconf (installed) and /etc/resolv.conf itself. Each records its undo
    /// before it changes anything, so a crash at any point leaves `down` enough to restore.
    Result<void> set_dns() {
        const auto& q = ctx_.config.quick;
        if (q.dns.empty())
            return {};
        const DnsSettings dns = dns_settings(ctx_.config);
        DnsBackend backend = ctx_.dns_backend.value_or(DnsBackend::file);
        if (!ctx_.dns_backend)
            backend = choose_dns_backend(std::nullopt, resolved_on_bus(),
                                         find_program("resolvconf").has_value());
        switch (backend) {
        case DnsBackend::resolved:
            for (const auto& c : resolved_commands(ctx_.interface, dns))
                ctx_.echo(c);
            return resolved_set_link(ifindex_, dns, [&] {
                plan_.done(RevertResolvedLink{ctx_.interface, ifindex_});
            });
        case DnsBackend::resolvconf: {
            std::vector<std::string> warnings;
            auto search = search_with_routing(dns, &warnings);
            for (const auto& w : warnings)
                std::fprintf(stderr, "Warning: resolvconf: %s\n", w.c_str());
            std::string name = resolvconf_prefix() + ctx_.interface;
            ctx_.echo("resolvconf -a " + name + " -m 0 -x");
            if (auto r = run_resolvconf({"-a", name, "-m", "0", "-x"},
                                        resolvconf_input(dns.servers, search));
                !r)
                return r;
            plan_.done(UnsetDns{name});
            return {};
        }
        case DnsBackend::file: {
            std::vector<std::string> warnings;
            auto search = search_with_routing(dns, &warnings);
            for (const auto& w : warnings)
                std::fprintf(stderr, "Warning: %s: %s\n", resolv_conf_path().c_str(), w.c_str());
            plan_.done(RestoreResolvConf{ctx_.interface});
            ctx_.echo("cp " + resolv_conf_path() + " " + saved_resolv_conf_path(ctx_.interface));
            return replace_resolv_conf(ctx_.interface, [&](std::string_view original) {
                std::string text =
                    rewritten_resolv_conf(ctx_.interface, original, dns.servers, search);
                ctx_.echo("cat > " + resolv_conf_path() + " <<'EOF'\n" + text + "EOF");
                return text;
            });
        }
        }
        return {};
    }

    Result<void> add_route(const IpPrefix& p) {
        if (table_.kind == TableChoice::Kind::off)
            return {};
        netlink::RouteSpec spec{p, ifindex_, 254};
        std::string cmd = std::string("ip ") + family_flag(p.address) + " route add " +
                          p.to_string() + " dev " + ctx_.interface;
        if (table_.kind == TableChoice::Kind::table) {
            spec.table = table_.id;
            ctx_.echo(cmd + " table " + ctx_.config.quick.table.value_or(""));
            return netlink::add_route(sock_, spec);
        }
        if (p.cidr == 0)
            return add_default(p);
        // `ip route show dev IF match P`: a route through the interface covers it already.
        auto routes = netlink::list_routes(sock_, p.address.family);
        if (!routes)
            return routes.error();
        for (const auto& e : *routes)
            if (e.table == 254 && e.oif == ifindex_ && e.destination.cidr <= p.cidr &&
                e.destination.contains(p.address))
                return {};
        ctx_.echo(cmd);
        return netlink::add_route(sock_, spec);
    }

    Result<std::uint32_t> choose_fwmark() {
        if (fwmark_)
            return *fwmark_;
        std::vector<std::uint32_t> used;
        for (int family : {AF_INET, AF_INET6}) {
            auto routes = netlink::list_routes(sock_, family);
            if (!routes)
                return routes.error();
            for (const auto& e : *routes)
                used.push_back(e.table);
        }
        std::uint32_t table = first_free_table(used);
        ctx_.echo("wg set " + ctx_.interface + " fwmark " + std::to_string(table));
        model::Device update;
        update.name = ctx_.interface;
        update.fwmark = table;
        if (auto r = ipc::set_device(update); !r)
            return make_error("Unable to modify interface: " + r.error().message, r.error().code);
        fwmark_ = table;
        return table;
    }

    Result<void> add_default(const IpPrefix& p) {
        auto mark = choose_fwmark();
        if (!mark)
            return mark.error();
        const std::uint32_t table = *mark;
        const int family = p.address.family;
        ctx_.echo(std::string("ip ") + family_flag(p.address) + " route add " + p.to_string() +
                  " dev " + ctx_.interface + " table " + std::to_string(table));
        if (auto r = netlink::add_route(sock_, {p, ifindex_, table}); !r)
            return r;
        netlink::RuleSpec not_marked{family, table, table, true, std::nullopt};
        netlink::RuleSpec suppress{family, 254, std::nullopt, false, 0};
        for (const auto& rule : {not_marked, suppress}) {
            ctx_.echo(rule_command("add", rule));
            if (auto r = netlink::add_rule(sock_, rule); !r)
                return r;
            plan_.done(DeleteRule{rule});
        }
        auto addresses = netlink::list_addresses(sock_, ifindex_, family);
        if (!addresses)
            return addresses.error();
        std::vector<IpAddress> local;
        for (const auto& a : *addresses)
            local.push_back(a.address);
        std::string ruleset = nft_ruleset(family, ctx_.interface, table, local);
        if (family == AF_INET) {
            static const std::string key = "net.ipv4.conf.all.src_valid_mark";
            auto old = netlink::read_sysctl(key);
            if (!old)
                return old.error();
            ctx_.echo("sysctl -q " + key + "=1");
            if (auto r = netlink::write_sysctl(key, "1"); !r)
                return r;
            plan_.done(RestoreSysctl{key, *old});
        }
        ctx_.echo("nft -f - <<'EOF'\n" + ruleset + "EOF");
        if (auto r = nft_run(ruleset); !r)
            return r;
        plan_.done(DeleteNftTable{nft_family(family), nft_table_name(ctx_.interface)});
        return {};
    }

    Context& ctx_;
    netlink::Socket& sock_;
    TableChoice table_;
    Plan plan_;
    int ifindex_ = 0;
    std::optional<std::uint32_t> fwmark_;
};

/// IPv6 where wg would only fail with a raw netlink error, or would silently leak: one clear
/// line for a file that needs IPv6 on a host without it; a warning for a full tunnel of IPv4
/// only on a host that has global IPv6 (that traffic goes around the tunnel).
Result<void> check_ipv6(const Context& ctx) {
    auto status = netlink::ipv6_status();
    std::optional<std::string> needs;
    for (const auto& a : ctx.config.quick.addresses)
        if (a.address.is_v6() && !needs)
            needs = "Address " + a.to_string();
    bool full4 = false, full6 = false;
    for (const auto& p : routes_in_order(ctx.config.device)) {
        if (p.address.is_v6() && !needs)
            needs = "AllowedIPs " + p.to_string();
        if (p.cidr == 0)
            (p.address.is_v6() ? full6 : full4) = true;
    }
    if (status.disabled && needs)
        return make_error(*status.disabled + ", but `" + ctx.config_file + "' has " + *needs +
                              ": enable IPv6 or take the IPv6 entries out",
                          EAFNOSUPPORT);
    if (full4 && !full6 && !status.disabled) {
        for (const auto& g : status.global) {
            if (g.interface == ctx.interface)
                continue;
            std::fprintf(stderr,
                         "Warning: all IPv4 traffic goes through %s but IPv6 does not: this host "
                         "has the global IPv6 address %s on %s, so IPv6 leaks around the tunnel "
                         "(add ::/0 to AllowedIPs to close it)\n",
                         ctx.interface.c_str(), g.address.to_string().c_str(), g.interface.c_str());
            break;
        }
    }
    return {};
}

} // namespace

int cmd_up(Context& ctx) {
    auto sock = netlink::Socket::open();
    if (!sock)
        return die(ctx, sock.error().message);
    auto existing = netlink::find_link(*sock, ctx.interface);
    if (!existing)
        return die(ctx, existing.error().message);
    if (*existing)
        return die(ctx, "`" + ctx.interface + "' already exists");
    if (auto stale = read_record(ctx.interface)) {
        // An earlier up whose interface is gone (its engine died, or wg-quick took it down):
        // what it left behind goes first, or the new rules would pile onto the old ones.
        std::fprintf(stderr, "[!] Undoing what an earlier up of `%s' left behind\n",
                     ctx.interface.c_str());
        undo_record(ctx, *sock, *stale);
        if (auto r = write_record(ctx.interface, {}); !r)
            return die(ctx, r.error().message);
    }
    auto table = choose_table(ctx.config.quick.table, TableNames::from_system());
    if (!table)
        return die(ctx, table.error().message);

    if (auto r = check_ipv6(ctx); !r)
        return die(ctx, r.error().message);
    // Host names of endpoints, for `wgx reresolve` later (resolution below replaces them).
    const auto names = config::endpoint_names_of(ctx.config.device);
    watch_signals();
    Up up(ctx, *sock, *table);
    auto r = up.run();
    if (!r) {
        std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), r.error().message.c_str());
        up.rollback();
    } else {
        // Only `wgx show --names`, `wgx reresolve` and friends read it: the tunnel itself is
        // fine without it.
        if (auto w = config::write_runtime_state(ctx.interface, {ctx.config_file, names}); !w)
            std::fprintf(stderr, "%s: Warning: %s\n", ctx.program.c_str(),
                         w.error().message.c_str());
        // What the file said at up, for save to notice later edits.
        auto text = read_secret_file(ctx.config_file);
        if (auto d = remember_config_digest(ctx.interface, text ? *text : SecretString()); !d)
            std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), d.error().message.c_str());
    }
    unwatch_signals();
    return r ? 0 : 1;
}

} // namespace wgx::quick
