// `wgx-quick reload`: the running interface brought to what its file says, one difference at a
// time through netlink and the wg interface, never deleting the link; peers whose settings did
// not change are not touched, so their sessions stay up. A failure undoes what the reload had
// done so far. --dry-run prints the plan in the [#] form and changes nothing.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>

#include "config/config_reader.hpp"
#include "config/endpoint_names.hpp"
#include "config/excluded_ips.hpp"
#include "ipc/ipc.hpp"
#include "model/syncconf.hpp"
#include "netlink/address.hpp"
#include "netlink/link.hpp"
#include "netlink/route.hpp"
#include "quick/context.hpp"
#include "quick/dns.hpp"
#include "quick/dns_backend.hpp"
#include "quick/mtu.hpp"
#include "quick/process.hpp"
#include "quick/record.hpp"
#include "quick/reload_diff.hpp"
#include "quick/routing.hpp"
#include "quick/system_undo.hpp"

namespace wgx::quick {

namespace {

/// One change: the command it echoes, how to make it and how to take it back.
struct Change {
    std::string command;
    std::function<Result<void>()> apply;
    std::function<Result<void>()> revert;
};

const char* family_flag(const IpAddress& a) {
    return a.is_v6() ? "-6" : "-4";
}

/// What resolvconf holds for the interface (`resolvconf -l NAME`), "" when nothing.
std::string live_dns(const std::string& name) {
    Run run;
    run.program = "resolvconf";
    run.args = {"-l", name};
    run.capture_output = true;
    run.quiet_errors = true;
    auto r = run_program(run);
    return r && r->exit_code == 0 ? r->output : std::string();
}

std::string peer_summary(const model::Peer& p) {
    std::string s = "wg set IF peer " + p.public_key.to_base64();
    if (p.remove)
        return s + " remove";
    if (p.preshared_key)
        s += " preshared-key <(...)";
    if (p.endpoint)
        s += " endpoint " + p.endpoint->to_string();
    if (p.persistent_keepalive)
        s += " persistent-keepalive " + std::to_string(*p.persistent_keepalive);
    if (p.replace_allowed_ips) {
        std::vector<IpPrefix> prefixes;
        for (const auto& a : p.allowed_ips)
            prefixes.push_back(a.prefix);
        std::string list = config::join_prefixes(prefixes);
        list.erase(std::remove(list.begin(), list.end(), ' '), list.end());
        s += " allowed-ips " + list;
    }
    return s;
}

/// The peer as it runs, as an update that puts it back exactly.
model::Peer restoring(const model::Peer& live) {
    model::Peer p = live;
    p.replace_allowed_ips = true;
    if (!p.preshared_key)
        p.preshared_key = model::Key{};
    if (!p.persistent_keepalive)
        p.persistent_keepalive = 0;
    p.last_handshake.reset();
    p.rx_bytes.reset();
    p.tx_bytes.reset();
    p.protocol_version.reset();
    return p;
}

class Reload {
  public:
    Reload(Context& ctx, netlink::Socket& sock) : ctx_(ctx), sock_(sock) {}

    Result<void> plan() {
        auto link = netlink::find_link(sock_, ctx_.interface);
        if (!link)
            return link.error();
        if (!*link)
            return make_error("`" + ctx_.interface + "' is not up: use `up'", ENODEV);
        ifindex_ = (*link)->index;
        auto live = ipc::get_device(ctx_.interface);
        if (!live)
            return make_error("Unable to access interface: " + live.error().message,
                              live.error().code);
        model::Device desired = ctx_.config.device;
        if (auto r = config::resolve_endpoints(desired); !r)
            return r;
        desired.name = ctx_.interface;
        if (auto r = plan_link(**link, *live, desired); !r)
            return r;
        plan_peers(*live, desired);
        plan_dns();
        return {};
    }

    bool empty() const { return changes_.empty(); }

    void print() const {
        for (const auto& c : changes_)
            ctx_.echo(c.command);
    }

    /// Applies every change in order; on a failure, reverts the applied ones, last first.
    Result<void> apply() {
        for (std::size_t i = 0; i < changes_.size(); ++i) {
            ctx_.echo(changes_[i].command);
            auto r = changes_[i].apply();
            if (r)
                continue;
            for (std::size_t j = i; j-- > 0;) {
                ctx_.echo("undo: " + changes_[j].command);
                if (auto u = changes_[j].revert(); !u)
                    std::fprintf(stderr, "%s: %s\n", ctx_.program.c_str(),
                                 u.error().message.c_str());
            }
            return r;
        }
        return {};
    }

  private:
    Result<void> plan_link(const netlink::LinkInfo& link, const model::Device& live_device,
                           const model::Device& desired_device) {
        auto table = choose_table(ctx_.config.quick.table, TableNames::from_system());
        if (!table)
            return table.error();
        LiveLink live;
        live.mtu = link.mtu;
        auto addresses = netlink::list_addresses(sock_, ifindex_, AF_UNSPEC);
        if (!addresses)
            return addresses.error();
        live.addresses = *addresses;
        std::uint32_t route_table = table->kind == TableChoice::Kind::table ? table->id : 254;
        bool live_default[2] = {false, false}, desired_default[2] = {false, false};
        for (int family : {AF_INET, AF_INET6}) {
            auto routes = netlink::list_routes(sock_, family);
            if (!routes)
                return routes.error();
            for (const auto& e : *routes) {
                if (e.oif != ifindex_ || e.type != 1 /* RTN_UNICAST */ || e.table == 255)
                    continue;
                if (e.destination.cidr == 0) {
                    live_default[family == AF_INET6] = true;
                    continue;
                }
                if (e.table == route_table)
                    live.routes.push_back(e.destination);
                else if (!(table->kind == TableChoice::Kind::automatic && live_device.fwmark &&
                           e.table == *live_device.fwmark))
                    return make_error("routes of `" + ctx_.interface + "' are in table " +
                                          std::to_string(e.table) +
                                          ": reload does not move routes between tables (the "
                                          "Table setting changed?); use down and up",
                                      EINVAL);
            }
        }
        DesiredLink desired;
        desired.addresses = ctx_.config.quick.addresses;
        if (table->kind != TableChoice::Kind::off)
            for (const auto& p : routes_in_order(desired_device)) {
                if (p.cidr == 0)
                    desired_default[p.address.is_v6()] = true;
                else
                    desired.routes.push_back(p);
            }
        if (table->kind == TableChoice::Kind::automatic)
            for (int v6 : {0, 1})
                if (live_default[v6] != desired_default[v6])
                    return make_error(std::string("the file ") +
                                          (desired_default[v6] ? "adds" : "removes") + " a " +
                                          (v6 ? "::/0" : "0.0.0.0/0") +
                                          " tunnel: reload does not change default routing; "
                                          "use down and up",
                                      EINVAL);
        if (ctx_.config.quick.mtu) {
            desired.mtu = *ctx_.config.quick.mtu;
        } else {
            std::vector<Endpoint> endpoints;
            for (const auto& p : desired_device.peers)
                if (p.endpoint)
                    endpoints.push_back(*p.endpoint);
            NetlinkRouteLookup lookup(sock_);
            desired.mtu = automatic_mtu(endpoints, lookup);
        }
        auto diff = diff_link(live, desired);
        const std::string& dev = ctx_.interface;
        for (const auto& a : diff.add_addresses)
            changes_.push_back({std::string("ip ") + family_flag(a.address) + " address add " +
                                    a.to_string() + " dev " + dev,
                                [this, a] { return netlink::add_address(sock_, ifindex_, a); },
                                [this, a] { return netlink::delete_address(sock_, ifindex_, a); }});
        if (diff.mtu) {
            unsigned mtu = *diff.mtu, old = live.mtu;
            changes_.push_back(
                {"ip link set mtu " + std::to_string(mtu) + " up dev " + dev,
                 [this, mtu] { return netlink::set_link_mtu_up(sock_, ifindex_, mtu); },
                 [this, old] { return netlink::set_link_mtu_up(sock_, ifindex_, old); }});
        }
        std::string in_table =
            route_table == 254 ? std::string() : " table " + ctx_.config.quick.table.value_or("");
        for (const auto& r : diff.add_routes) {
            netlink::RouteSpec spec{r, ifindex_, route_table};
            routes_added_.push_back({std::string("ip ") + family_flag(r.address) + " route add " +
                                         r.to_string() + " dev " + dev + in_table,
                                     [this, spec] { return netlink::add_route(sock_, spec); },
                                     [this, spec] { return netlink::delete_route(sock_, spec); }});
        }
        for (const auto& r : diff.delete_routes) {
            netlink::RouteSpec spec{r, ifindex_, route_table};
            routes_deleted_.push_back({std::string("ip ") + family_flag(r.address) +
                                           " route delete " + r.to_string() + " dev " + dev +
                                           in_table,
                                       [this, spec] { return netlink::delete_route(sock_, spec); },
                                       [this, spec] { return netlink::add_route(sock_, spec); }});
        }
        for (const auto& a : diff.delete_addresses)
            addresses_deleted_.push_back(
                {std::string("ip ") + family_flag(a.address) + " address delete " + a.to_string() +
                     " dev " + dev,
                 [this, a] { return netlink::delete_address(sock_, ifindex_, a); },
                 [this, a] { return netlink::add_address(sock_, ifindex_, a); }});
        return {};
    }

    void plan_peers(const model::Device& live, const model::Device& desired) {
        model::Device update = model::syncconf_diff(live, desired);
        // Device-wide settings first, then each peer on its own so that the echo says what
        // changes and a failure names the peer.
        model::Device device_part;
        device_part.name = ctx_.interface;
        device_part.private_key = update.private_key;
        device_part.listen_port = update.listen_port;
        device_part.fwmark = update.fwmark;
        if (device_part.private_key || device_part.listen_port || device_part.fwmark) {
            model::Device back;
            back.name = ctx_.interface;
            if (update.private_key)
                back.private_key = live.private_key.value_or(model::Key{});
            if (update.listen_port)
                back.listen_port = live.listen_port.value_or(0);
            if (update.fwmark)
                back.fwmark = live.fwmark.value_or(0);
            std::string what;
            if (update.private_key)
                what += " private-key <(...)";
            if (update.listen_port)
                what += " listen-port " + std::to_string(*update.listen_port);
            if (update.fwmark)
                what += " fwmark " + std::to_string(*update.fwmark);
            changes_.push_back({"wg set " + ctx_.interface + what,
                                [device_part] { return ipc::set_device(device_part); },
                                [back] { return ipc::set_device(back); }});
        }
        // Peers after the addresses and before the routes that lead to them.
        for (const auto& p : update.peers) {
            model::Device one;
            one.name = ctx_.interface;
            one.peers.push_back(p);
            model::Device back;
            back.name = ctx_.interface;
            if (const model::Peer* old = live.find_peer(p.public_key)) {
                back.peers.push_back(restoring(*old));
            } else {
                model::Peer gone;
                gone.public_key = p.public_key;
                gone.remove = true;
                back.peers.push_back(gone);
            }
            std::string command = peer_summary(p);
            command.replace(command.find("IF"), 2, ctx_.interface);
            changes_.push_back({command, [one] { return ipc::set_device(one); },
                                [back] { return ipc::set_device(back); }});
        }
        for (auto* group : {&routes_added_, &routes_deleted_, &addresses_deleted_})
            for (auto& c : *group)
                changes_.push_back(std::move(c));
    }

    void plan_dns() {
        const auto& q = ctx_.config.quick;
        // DNS that up gave to systemd-resolved or wrote into /etc/resolv.conf stays as up set it:
        // only resolvconf can be asked what it holds.
        for (const auto& u : read_record(ctx_.interface).value_or(std::vector<Undo>{}))
            if (std::holds_alternative<RevertResolvedLink>(u) ||
                std::holds_alternative<RestoreResolvConf>(u))
                return;
        std::string name = resolvconf_prefix() + ctx_.interface;
        std::string live = live_dns(name);
        // As up gives them to resolvconf: ~ domains folded into the search list.
        const DnsSettings dns = dns_settings(ctx_.config);
        std::string wanted = q.dns.empty()
                                 ? std::string()
                                 : resolvconf_input(dns.servers, search_with_routing(dns, nullptr));
        if (live == wanted)
            return;
        const std::string iface = ctx_.interface;
        if (wanted.empty()) {
            changes_.push_back(
                {"resolvconf -d " + name + " -f",
                 [name, iface] {
                     if (auto r = run_resolvconf({"-d", name, "-f"}, ""); !r)
                         return r;
                     return forget_dns(iface, name);
                 },
                 [name, live, iface] {
                     if (auto r = run_resolvconf({"-a", name, "-m", "0", "-x"}, live); !r)
                         return r;
                     return remember_dns(iface, name);
                 }});
            return;
        }
        changes_.push_back(
            {"resolvconf -a " + name + " -m 0 -x",
             [name, wanted, iface] {
                 if (auto r = run_resolvconf({"-a", name, "-m", "0", "-x"}, wanted); !r)
                     return r;
                 return remember_dns(iface, name);
             },
             [name, live, iface] {
                 if (live.empty()) {
                     if (auto r = run_resolvconf({"-d", name, "-f"}, ""); !r)
                         return r;
                     return forget_dns(iface, name);
                 }
                 return run_resolvconf({"-a", name, "-m", "0", "-x"}, live);
             }});
    }

    /// The record must say DNS is set exactly when it is, so that down undoes it.
    static Result<void> remember_dns(const std::string& iface, const std::string& name) {
        auto undos = read_record(iface).value_or(std::vector<Undo>{});
        if (std::find(undos.begin(), undos.end(), Undo{UnsetDns{name}}) == undos.end())
            undos.push_back(UnsetDns{name});
        return write_record(iface, undos);
    }
    static Result<void> forget_dns(const std::string& iface, const std::string& name) {
        auto undos = read_record(iface).value_or(std::vector<Undo>{});
        std::erase(undos, Undo{UnsetDns{name}});
        return write_record(iface, undos);
    }

    Context& ctx_;
    netlink::Socket& sock_;
    int ifindex_ = 0;
    std::vector<Change> changes_;
    std::vector<Change> routes_added_, routes_deleted_, addresses_deleted_;
};

} // namespace

int cmd_reload(Context& ctx) {
    bool dry_run = false;
    for (const auto& o : ctx.options) {
        if (o == "--dry-run")
            dry_run = true;
        else
            return die(ctx, "usage: reload CONFIG_FILE|INTERFACE [--dry-run]");
    }
    auto sock = netlink::Socket::open();
    if (!sock)
        return die(ctx, sock.error().message);
    Reload reload(ctx, *sock);
    if (auto r = reload.plan(); !r)
        return die(ctx, r.error().message);
    if (dry_run) {
        reload.print();
        return 0;
    }
    if (auto r = reload.apply(); !r)
        return die(ctx, r.error().message + " (the reload was undone)");
    // The runtime file follows the file's endpoint names (a reload may add or drop some).
    if (auto w = config::write_runtime_state(
            ctx.interface, {ctx.config_file, config::endpoint_names_of(ctx.config.device)});
        !w)
        return die(ctx, w.error().message);
    return 0;
}

} // namespace wgx::quick
