#include "quick/interface.hpp"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

#include "netlink/link.hpp"
#include "quick/process.hpp"

namespace wgx::quick {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::string self_dir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return "";
    std::string self(buf, std::size_t(n));
    return self.substr(0, self.rfind('/'));
}

} // namespace

std::string userspace_implementation() {
    if (auto v = env("WGX_QUICK_USERSPACE_IMPLEMENTATION"); !v.empty())
        return v;
    if (auto v = env("WG_QUICK_USERSPACE_IMPLEMENTATION"); !v.empty())
        return v;
    std::string beside = self_dir() + "/wgx-engine";
    if (::access(beside.c_str(), X_OK) == 0)
        return beside;
    return "wgx-engine";
}

Result<void> add_interface(netlink::Socket& sock, const std::string& interface, Plan& plan,
                           const Echo& echo) {
    std::string impl = userspace_implementation();
    if (env("WGX_QUICK_USERSPACE_IMPLEMENTATION").empty()) {
        echo("ip link add " + interface + " type wireguard");
        auto r = netlink::create_wireguard_link(sock, interface);
        if (r) {
            plan.done(DeleteLink{interface});
            return {};
        }
        struct stat st;
        // As wg-quick: with the module loaded the failure is real; without a userspace
        // implementation there is nothing to fall back to.
        if (::stat("/sys/module/wireguard", &st) == 0)
            return r.error();
        if (!find_program(impl))
            return make_error(r.error().message +
                                  " (no wireguard kernel module, and the userspace "
                                  "implementation `" +
                                  impl + "' was not found)",
                              r.error().code);
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        std::fputs("[!] Missing WireGuard kernel module. Falling back to slow userspace "
                   "implementation.\n",
                   stderr);
    }
    echo(impl + " " + interface);
    Run run;
    run.program = impl;
    run.args = {interface};
    auto r = run_program(run);
    if (!r)
        return r.error();
    // It may have created the interface before failing: the undo tolerates its absence.
    plan.done(DeleteLink{interface});
    if (r->exit_code != 0)
        return make_error("`" + impl + " " + interface + "' failed with exit status " +
                              std::to_string(r->exit_code),
                          ECHILD);
    return {};
}

} // namespace wgx::quick
