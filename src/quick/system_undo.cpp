#include "quick/system_undo.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/unique_fd.hpp"
#include "netlink/link.hpp"
#include "netlink/rule.hpp"
#include "netlink/sysctl.hpp"
#include "quick/firewall.hpp"
#include "quick/process.hpp"
#include "quick/resolv_conf_file.hpp"
#include "quick/resolved.hpp"

namespace wgx::quick {

namespace {

/// Removes /var/run/wireguard/IF.sock when no engine answers on it any more.
void remove_stale_socket(const std::string& interface) {
    std::string path = "/var/run/wireguard/" + interface + ".sock";
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        return;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return;
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 &&
        errno == ECONNREFUSED)
        ::unlink(path.c_str());
}

} // namespace

Result<void> run_resolvconf(const std::vector<std::string>& args, const std::string& input) {
    Run run;
    run.program = "resolvconf";
    run.args = args;
    run.input = input;
    auto r = run_program(run);
    if (!r)
        return r.error();
    if (r->exit_code != 0)
        return make_error("resolvconf failed with exit status " + std::to_string(r->exit_code),
                          ECHILD);
    return {};
}

Result<void> SystemUndoRunner::run(const Undo& undo) {
    if (auto* u = std::get_if<DeleteLink>(&undo)) {
        auto r = netlink::delete_link(sock_, u->interface);
        remove_stale_socket(u->interface);
        if (!r && r.error().code != ENODEV)
            return r;
        return {};
    }
    if (auto* u = std::get_if<UnsetDns>(&undo))
        return run_resolvconf({"-d", u->resolvconf_name, "-f"}, "");
    if (auto* u = std::get_if<DeleteRule>(&undo))
        return netlink::delete_rule(sock_, u->rule);
    if (auto* u = std::get_if<RestoreSysctl>(&undo))
        return netlink::write_sysctl(u->key, u->value);
    if (auto* u = std::get_if<DeleteNftTable>(&undo))
        return nft_run("delete table " + u->family + " " + u->table + "\n");
    if (auto* u = std::get_if<RevertResolvedLink>(&undo)) {
        // resolved forgets a link that went away; an index now held by another link is not ours.
        auto link = netlink::find_link(sock_, u->ifindex);
        if (link && (!*link || (*link)->name != u->interface))
            return {};
        return resolved_revert_link(u->ifindex);
    }
    if (auto* u = std::get_if<RestoreResolvConf>(&undo))
        return restore_resolv_conf(u->interface);
    return {};
}

} // namespace wgx::quick
