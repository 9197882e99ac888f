#include "quick/command_table.hpp"

#include <array>

namespace wgx::quick {

namespace {
const std::array<Command, 4> TABLE{{
    {"up", Action::up, "create the interface, configure it, add addresses, routes and DNS"},
    {"down", Action::down, "undo what up did and delete the interface"},
    {"save", Action::save, "write the running configuration back to the file"},
    {"strip", Action::strip, "print the file without wgx-quick's own keys, for wgx setconf"},
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
        s += (s.empty() ? "" : " | ") + std::string(c.name);
    return s;
}

} // namespace wgx::quick
