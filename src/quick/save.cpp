// `wgx-quick save`: the live state written into the file, changing only what differs (see
// save_merge.hpp), atomically, and never over edits made since `up` unless forced.
#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "base/atomic_file.hpp"
#include "base/secret_file.hpp"
#include "config/config_writer.hpp"
#include "ipc/ipc.hpp"
#include "netlink/address.hpp"
#include "netlink/link.hpp"
#include "quick/config_digest.hpp"
#include "quick/context.hpp"
#include "quick/dns.hpp"
#include "quick/process.hpp"
#include "quick/record.hpp"
#include "quick/resolv_conf_file.hpp"
#include "quick/save_format.hpp"
#include "quick/save_merge.hpp"

namespace wgx::quick {

namespace {

/// What resolvconf holds for the interface: `resolvconf -l NAME`, else openresolv's and
/// Debian resolvconf's state file.
std::vector<std::string> live_nameservers(const std::string& name) {
    Run run;
    run.program = "resolvconf";
    run.args = {"-l", name};
    run.capture_output = true;
    run.quiet_errors = true;
    if (auto r = run_program(run); r && r->exit_code == 0)
        return saved_nameservers(r->output);
    std::ifstream in("/etc/resolvconf/run/interface/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return saved_nameservers(ss.str());
}

/// The servers in force: what resolvconf holds, what wgx-quick wrote into /etc/resolv.conf, or,
/// for systemd-resolved (which wgx-quick does not ask back), the file's own.
std::vector<std::string> live_nameservers(const Context& ctx) {
    for (const auto& u : read_record(ctx.interface).value_or(std::vector<Undo>{})) {
        if (std::holds_alternative<RevertResolvedLink>(u))
            return ctx.config.quick.dns;
        if (std::holds_alternative<RestoreResolvConf>(u)) {
            std::ifstream in(resolv_conf_path());
            std::stringstream ss;
            ss << in.rdbuf();
            if (resolv_conf_owner(ss.str()) != ctx.interface)
                return ctx.config.quick.dns;
            return saved_nameservers(ss.str());
        }
    }
    return live_nameservers(resolvconf_prefix() + ctx.interface);
}

} // namespace

Result<void> save_config(Context& ctx, netlink::Socket& sock, bool force) {
    LiveState live;
    auto link = netlink::find_link(sock, ctx.interface);
    if (!link)
        return link.error();
    if (*link) {
        live.mtu = (*link)->mtu;
        auto addresses = netlink::list_addresses(sock, (*link)->index, AF_UNSPEC);
        if (!addresses)
            return addresses.error();
        live.addresses = std::move(*addresses);
    }
    live.nameservers = live_nameservers(ctx);
    // The file as it is now: if it is not what up read, someone edited it since, and writing
    // the live state over it would throw their edits away.
    auto read = read_secret_file(ctx.config_file);
    const SecretString on_disk = read ? std::move(*read) : SecretString();
    auto at_up = remembered_config_digest(ctx.interface);
    if (!force && at_up && *at_up != config_digest(on_disk))
        return make_error("`" + ctx.config_file +
                              "' changed on disk since up; not saving over it (save --force "
                              "does)",
                          ESTALE);
    ctx.echo("wg showconf " + ctx.interface);
    auto dev = ipc::get_device(ctx.interface);
    if (!dev)
        return make_error("Unable to access interface: " + dev.error().message, dev.error().code);
    auto file = config::read_config_text(on_disk, config::Mode::quick, ctx.config_file);
    SecretString text;
    if (file) {
        LiveConfig merged{*dev, live.addresses, live.nameservers, live.mtu};
        text = merge_saved_config(on_disk, *file, merged);
    } else {
        // A file that no longer parses has nothing to keep: write what wg-quick writes.
        text = saved_config(config::write_showconf(*dev), live, ctx.config.quick);
    }
    if (std::string_view(text) == on_disk)
        return {};
    if (auto r = write_file_atomically(ctx.config_file, text, 0600); !r)
        return make_error("Could not write configuration file: " + r.error().message,
                          r.error().code);
    if (at_up)
        if (auto r = remember_config_digest(ctx.interface, text); !r)
            return r;
    return {};
}

int cmd_save(Context& ctx) {
    bool force = false;
    for (const auto& o : ctx.options) {
        if (o != "--force")
            return die(ctx, "usage: save CONFIG_FILE|INTERFACE [--force]");
        force = true;
    }
    auto devices = ipc::list_devices();
    if (!devices || std::find(devices->begin(), devices->end(), ctx.interface) == devices->end())
        return die(ctx, "`" + ctx.interface + "' is not a WireGuard interface");
    auto sock = netlink::Socket::open();
    if (!sock)
        return die(ctx, sock.error().message);
    if (auto r = save_config(ctx, *sock, force); !r)
        return die(ctx, r.error().message);
    return 0;
}

} // namespace wgx::quick
