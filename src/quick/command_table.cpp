#include "quick/command_table.hpp"

#include <array>

namespace wgx::quick {

namespace {
const std::array<Command, 8> TABLE{{
    {"up",
     Action::up,
     "create the interface, configure it, add addresses, routes and DNS",
     "--strict",
     true,
     {},
     "--dns-backend="},
    {"down", Action::down, "undo what up did and delete the interface"},
    {"save", Action::save, "write the running configuration back to the file", "--force"},
    {"strip", Action::strip, "print the file without wgx-quick's own keys, for wgx setconf",
     "--strict"},
    {"addpeer",
     Action::addpeer,
     "make a key pair for a new client, give it the lowest free address of each\n"
     "      Address subnet, add it to CONFIG (and to the interface if it is up), and\n"
     "      print the client's configuration (or write it to FILE, or draw a QR code)",
     {},
     false,
     "CONFIG [--name NAME] [--address auto|CIDR...] [--allowed-ips LIST]\n"
     "          [--endpoint HOST[:PORT]] [--dns LIST] [--keepalive N] [--psk] [--qr]\n"
     "          [--output FILE]"},
    {"showpeer",
     Action::showpeer,
     "print again a client configuration that addpeer wrote with --output",
     {},
     false,
     "CONFIG NAME [--qr]"},
    {"rmpeer",
     Action::rmpeer,
     "take a peer out of CONFIG and out of the running interface",
     {},
     false,
     "CONFIG NAME|PUBLIC-KEY"},
    {"reload",
     Action::reload,
     "bring the running interface to what CONFIG says, changing only what\n"
     "      differs; --dry-run prints the changes without making them",
     {},
     false,
     "CONFIG [--dry-run]"},
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

std::string command_alternatives() {
    std::string s;
    for (const auto& c : TABLE)
        if (c.from_wg_quick)
            s += (s.empty() ? "" : " | ") + std::string(c.name);
    return s;
}

} // namespace wgx::quick
