// `wgx-quick down`: wg-quick's cmd_down(), undoing exactly what the record says `up` did, or,
// for an interface without a record (brought up by wg-quick), what wg-quick would infer.
#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "config/runtime_file.hpp"
#include "ipc/ipc.hpp"
#include "netlink/link.hpp"
#include "netlink/rule.hpp"
#include "quick/config_digest.hpp"
#include "quick/context.hpp"
#include "quick/dns.hpp"
#include "quick/firewall.hpp"
#include "quick/hooks.hpp"
#include "quick/record.hpp"
#include "quick/system_undo.hpp"

namespace wgx::quick {

namespace {

void report(const Context& ctx, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), message.c_str());
}

bool has_default_route(const model::Device& dev) {
    for (const auto& p : dev.peers)
        for (const auto& a : p.allowed_ips)
            if (a.prefix.cidr == 0)
                return true;
    return false;
}

/// wg-quick's del_if() for an interface it brought up: rules found by table, then the link.
Result<void> infer_and_delete(Context& ctx, netlink::Socket& sock) {
    const auto& table = ctx.config.quick.table;
    auto dev = ipc::get_device(ctx.interface);
    if ((!table || table->empty() || *table == "auto") && dev && dev->fwmark && *dev->fwmark &&
        has_default_route(*dev)) {
        const std::uint32_t mark = *dev->fwmark;
        for (int family : {AF_INET, AF_INET6}) {
            const char* flag = family == AF_INET6 ? "-6" : "-4";
            auto matching = [&](auto pred) {
                auto rules = netlink::list_rules(sock, family);
                return rules && std::any_of(rules->begin(), rules->end(), pred);
            };
            netlink::RuleSpec by_table{family, mark, std::nullopt, false, std::nullopt};
            for (int i = 0; i < 1000 && matching([&](const netlink::RuleEntry& e) {
                                return e.spec.table == mark;
                            });
                 ++i) {
                ctx.echo(std::string("ip ") + flag + " rule delete table " + std::to_string(mark));
                if (auto r = netlink::delete_rule(sock, by_table); !r)
                    return r;
            }
            netlink::RuleSpec suppress{family, 254, std::nullopt, false, 0};
            for (int i = 0; i < 1000 && matching([&](const netlink::RuleEntry& e) {
                                return e.spec.table == 254 && e.spec.suppress_prefixlength == 0u &&
                                       !e.spec.fwmark && !e.other_selectors;
                            });
                 ++i) {
                ctx.echo(std::string("ip ") + flag +
                         " rule delete table main suppress_prefixlength 0");
                if (auto r = netlink::delete_rule(sock, suppress); !r)
                    return r;
            }
        }
    }
    ctx.echo("ip link delete dev " + ctx.interface);
    if (auto r = netlink::delete_link(sock, ctx.interface); !r)
        return r;
    if (!ctx.config.quick.dns.empty()) {
        std::string name = resolvconf_prefix() + ctx.interface;
        ctx.echo("resolvconf -d " + name + " -f");
        if (auto r = run_resolvconf({"-d", name, "-f"}, ""); !r)
            report(ctx, r.error().message);
    }
    if (auto tables = nft_tables()) {
        std::string commands;
        for (const auto& t : *tables)
            if (t.ends_with(" " + nft_table_name(ctx.interface)))
                commands += "delete table " + t + "\n";
        if (!commands.empty()) {
            ctx.echo("nft -f - <<'EOF'\n" + commands + "EOF");
            if (auto r = nft_run(commands); !r)
                report(ctx, r.error().message);
        }
    }
    return {};
}

} // namespace

int cmd_down(Context& ctx) {
    auto sock = netlink::Socket::open();
    if (!sock)
        return die(ctx, sock.error().message);
    auto devices = ipc::list_devices();
    bool is_wireguard =
        devices && std::find(devices->begin(), devices->end(), ctx.interface) != devices->end();
    auto record = read_record(ctx.interface);
    if (!is_wireguard && !record)
        return die(ctx, "`" + ctx.interface + "' is not a WireGuard interface");
    const auto& q = ctx.config.quick;
    if (auto r = run_hooks(q.pre_down, ctx.interface, ctx.config_file, ctx.echo); !r)
        return die(ctx, r.error().message);
    if (q.save_config) {
        auto link = netlink::find_link(*sock, ctx.interface);
        bool alive = link && *link;
        if (auto r = save_config(ctx, *sock); !r && r.error().code == ESTALE) {
            // Someone edited the file since up: their edits win, the interface still goes.
            std::fprintf(stderr, "Warning: %s\n", r.error().message.c_str());
        } else if (!r) {
            // The engine died with its interface: there is nothing left to save, but still
            // everything to clean up.
            if (alive || !record)
                return die(ctx, r.error().message);
            report(ctx, "not saving `" + ctx.interface + "', it is gone: " + r.error().message);
        }
    }
    forget_config_digest(ctx.interface);
    if (record) {
        undo_record(ctx, *sock, *record);
        if (auto r = write_record(ctx.interface, {}); !r)
            report(ctx, r.error().message);
    } else if (auto r = infer_and_delete(ctx, *sock); !r) {
        return die(ctx, r.error().message);
    }
    if (auto r = config::remove_runtime_state(ctx.interface); !r)
        report(ctx, r.error().message);
    if (auto r = run_hooks(q.post_down, ctx.interface, ctx.config_file, ctx.echo); !r)
        return die(ctx, r.error().message);
    return 0;
}

} // namespace wgx::quick
