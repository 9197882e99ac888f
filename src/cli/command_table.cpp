#include "cli/command_table.hpp"

#include "base/version.hpp"

#include <array>
#include <string>

namespace wgx::cli {

namespace {
const std::array<Command, 15> TABLE{{
    {"show", show_main, "Shows the current configuration and device information",
     "{ <interface> | all | interfaces } [public-key | private-key | listen-port | fwmark | "
     "peers | preshared-keys | endpoints | allowed-ips | latest-handshakes | transfer | "
     "persistent-keepalive | dump]"},
    {"showconf", showconf_main,
     "Shows the current configuration of a given WireGuard interface, for use with `setconf'",
     "<interface>"},
    {"set", set_main, "Change the current configuration, add peers, remove peers, or change peers",
     "<interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] "
     "[peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] "
     "[persistent-keepalive <interval seconds>] [allowed-ips <ip1>/<cidr1>[,<ip2>/<cidr2>]...] "
     "]..."},
    {"setconf", setconf_main, "Applies a configuration file to a WireGuard interface",
     "<interface> <configuration filename>"},
    {"addconf", setconf_main, "Appends a configuration file to a WireGuard interface",
     "<interface> <configuration filename>"},
    {"syncconf", setconf_main, "Synchronizes a configuration file to a WireGuard interface",
     "<interface> <configuration filename>"},
    {"genkey", genkey_main, "Generates a new private key and writes it to stdout", ""},
    {"genpsk", genkey_main, "Generates a new preshared key and writes it to stdout", ""},
    {"pubkey", pubkey_main, "Reads a private key from stdin and writes a public key to stdout", ""},
    {"metrics", metrics_main,
     "Serves Prometheus metrics of every interface over HTTP, or writes them to a file",
     "{ --listen <address>:<port> | --textfile <path> [--interval <seconds>] } "
     "[--stale-after <seconds>]",
     false},
    {"doctor", doctor_main,
     "Diagnoses interfaces and peers: why traffic does not flow, and what fixes it",
     "[<interface>] [--peer <name | base64 public key>] [--stale-after <seconds>] [--json]", false},
    {"route", route_main,
     "Explains where the system and cryptokey routing send a packet to an address",
     "[<interface>] <address> [--from <address>] [--mark <mark>] [--json]", false},
    {"top", top_main, "Shows each peer's traffic rates, status and handshake age, live",
     "[<interface>] [--once] [--stale-after <seconds>]", false},
    {"allowedips", allowedips_main,
     "Prints an AllowedIPs list with ranges cut out of it (--exclude), as few prefixes as "
     "possible",
     "<prefix>[,<prefix>...]... [--exclude <prefix>[,<prefix>...]...]", false},
    {"reresolve", reresolve_main,
     "Looks up endpoint host names again and moves peers whose address changed",
     "[<interface>] [--if-stale <seconds>]", false},
}};
} // namespace

std::span<const Command> command_table() {
    return TABLE;
}

const Command* find_command(std::string_view name) {
    for (const auto& c : TABLE)
        if (c.name == name)
            return &c;
    return nullptr;
}

void print_usage(std::FILE* out, std::string_view prog, bool all) {
    std::string text =
        "Usage: " + std::string(prog) + " <cmd> [<args>]\n\nAvailable subcommands:\n";
    for (const auto& c : TABLE)
        if (c.from_wg)
            text += "  " + std::string(c.name) + ": " + std::string(c.description) + "\n";
    text += "You may pass `--help' to any of these subcommands to view usage.\n";
    if (all) {
        text += "\nwgx's own subcommands:\n";
        for (const auto& c : TABLE)
            if (!c.from_wg)
                text += "  " + std::string(c.name) + ": " + std::string(c.description) + "\n";
    }
    std::fwrite(text.data(), 1, text.size(), out);
}

void print_command_usage(const Invocation& inv) {
    std::string text = "Usage: " + inv.prog + " " + inv.args[0];
    if (const Command* c = find_command(inv.args[0]); c && !c->synopsis.empty())
        text += " " + std::string(c->synopsis);
    text += "\n";
    std::fwrite(text.data(), 1, text.size(), stderr);
}

std::string version_line() {
    return "wgx v" + std::string(VERSION) +
           " - a wg(8) drop-in compatible with wireguard-tools v1.0.20210914\n";
}

} // namespace wgx::cli
