#include "cli/command_table.hpp"

#include <array>
#include <string>

namespace wgx::cli {

namespace {
const std::array<Command, 9> TABLE{{
    {"show", show_main, "Shows the current configuration and device information"},
    {"showconf", showconf_main,
     "Shows the current configuration of a given WireGuard interface, for use with `setconf'"},
    {"set", set_main, "Change the current configuration, add peers, remove peers, or change peers"},
    {"setconf", setconf_main, "Applies a configuration file to a WireGuard interface"},
    {"addconf", setconf_main, "Appends a configuration file to a WireGuard interface"},
    {"syncconf", setconf_main, "Synchronizes a configuration file to a WireGuard interface"},
    {"genkey", genkey_main, "Generates a new private key and writes it to stdout"},
    {"genpsk", genkey_main, "Generates a new preshared key and writes it to stdout"},
    {"pubkey", pubkey_main, "Reads a private key from stdin and writes a public key to stdout"},
}};

// wgx's own subcommands. They are dispatched like wg's but left out of the usage text, which
// scripts compare with wg's byte for byte; wgx(8) documents them.
const std::array<Command, 2> EXTRAS{{
    {"allowedips", allowedips_main,
     "Prints an AllowedIPs list with ranges cut out of it (--exclude), as few prefixes as "
     "possible"},
    {"reresolve", reresolve_main,
     "Looks up endpoint host names again and moves peers whose address changed"},
}};
} // namespace

std::span<const Command> command_table() {
    return TABLE;
}

const Command* find_command(std::string_view name) {
    for (const auto& c : TABLE)
        if (c.name == name)
            return &c;
    for (const auto& c : EXTRAS)
        if (c.name == name)
            return &c;
    return nullptr;
}

void print_usage(std::FILE* out, std::string_view prog) {
    std::string text =
        "Usage: " + std::string(prog) + " <cmd> [<args>]\n\nAvailable subcommands:\n";
    for (const auto& c : TABLE)
        text += "  " + std::string(c.name) + ": " + std::string(c.description) + "\n";
    text += "You may pass `--help' to any of these subcommands to view usage.\n";
    std::fwrite(text.data(), 1, text.size(), out);
}

} // namespace wgx::cli
