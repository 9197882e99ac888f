// `doctor`: a layered diagnosis of every WireGuard interface (or one) and its peers -- link,
// addresses, MTU, port, handshakes, counters sampled over a second, routes of endpoints and
// allowed IPs, policy rules for a full tunnel, forwarding and IPv6 -- one line per finding with
// its evidence and fix. Exit 0 healthy, 1 warnings, 2 problems (and errors).
#include <cstdio>
#include <ctime>

#include "cli/commands.hpp"
#include "cli/doctor_facts.hpp"
#include "cli/output.hpp"
#include "cli/peer_names.hpp"
#include "cli/show_options.hpp"
#include "crypto/key.hpp"
#include "ipc/ipc.hpp"
#include "netlink/link.hpp"

namespace wgx::cli {

namespace {

constexpr int EXIT_PROBLEM = 2;

struct DoctorArgs {
    std::string interface;
    std::string peer;
    bool json = false;
    std::chrono::seconds stale_after = REJECT_AFTER_TIME;
};

int usage(const Invocation& inv, std::FILE* to = stderr) {
    std::fprintf(to,
                 "Usage: %s %s [<interface>] [--peer <name | base64 public key>] "
                 "[--stale-after <seconds>] [--json]\n",
                 inv.prog.c_str(), inv.args[0].c_str());
    return to == stderr ? EXIT_PROBLEM : 0;
}

std::optional<DoctorArgs> parse(const Invocation& inv) {
    DoctorArgs d;
    const auto& a = inv.args;
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (a[i] == "--json") {
            d.json = true;
        } else if (a[i] == "--peer" && i + 1 < a.size()) {
            d.peer = a[++i];
        } else if (a[i] == "--stale-after" && i + 1 < a.size()) {
            auto s = parse_stale_after(a[++i]);
            if (!s) {
                std::fprintf(stderr, "Invalid stale-after: `%s'\n", a[i].c_str());
                return std::nullopt;
            }
            d.stale_after = *s;
        } else if (d.interface.empty() && !a[i].empty() && a[i][0] != '-') {
            d.interface = a[i];
        } else {
            std::fprintf(stderr, "Invalid argument: `%s'\n", a[i].c_str());
            return std::nullopt;
        }
    }
    if (!d.peer.empty() && d.interface.empty()) {
        std::fprintf(stderr, "--peer needs an interface\n");
        return std::nullopt;
    }
    return d;
}

} // namespace

int doctor_main(const Invocation& inv) {
    if (inv.args.size() == 2 && (inv.args[1] == "--help" || inv.args[1] == "-h"))
        return usage(inv, stdout);
    auto args = parse(inv);
    if (!args)
        return usage(inv);
    auto sock = netlink::Socket::open();
    if (!sock) {
        std::fprintf(stderr, "%s\n", sock.error().message.c_str());
        return EXIT_PROBLEM;
    }
    auto listed = ipc::list_devices();
    if (!listed) {
        print_errno("Unable to list interfaces", listed.error());
        return EXIT_PROBLEM;
    }
    std::vector<std::string> names{args->interface};
    if (args->interface.empty()) {
        // /var/run/wireguard is shared by all network namespaces: an interface listed there
        // without a link here lives in another namespace and is not this host's to judge.
        names.clear();
        for (const auto& name : *listed)
            if (auto link = netlink::find_link(*sock, name); link && *link)
                names.push_back(name);
    }
    if (!args->peer.empty()) {
        // A name or a key, resolved as `set` resolves them; an unknown one is wg's bad key.
        std::string key = resolve_peer_argument(args->interface, args->peer);
        if (!crypto::Key::from_base64(key)) {
            std::fprintf(stderr, "Key is not the correct length or format: `%s'\n",
                         args->peer.c_str());
            return EXIT_PROBLEM;
        }
        args->peer = key;
    }
    DoctorOptions options{args->stale_after, 0, args->peer};
    HostFacts host = gather_host(*sock, *listed);
    std::vector<Finding> findings;
    if (names.empty())
        findings.push_back(
            {Severity::note, "", "", "interfaces", "there are no WireGuard interfaces", ""});
    for (const auto& name : names) {
        InterfaceFacts facts = gather_interface(*sock, name, std::chrono::milliseconds(1000));
        options.now = std::time(nullptr);
        auto found = diagnose(facts, host, options);
        findings.insert(findings.end(), found.begin(), found.end());
    }
    write_out(args->json ? format_findings_json(findings) : format_findings(findings));
    return doctor_exit_code(findings);
}

} // namespace wgx::cli
