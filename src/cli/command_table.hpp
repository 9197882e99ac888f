#pragma once
// The whole map of the wg-compatible command line: one table of {name, function, description}.
// The usage text is generated from it, so help cannot drift from dispatch.
#include <cstdio>
#include <span>
#include <string_view>

#include "cli/commands.hpp"

namespace wgx::cli {

struct Command {
    std::string_view name;
    int (*run)(const Invocation&);
    std::string_view description;
};

/// The subcommands in wg's order.
std::span<const Command> command_table();
/// The command named `name` (wg's or one of wgx's own), or nullptr.
const Command* find_command(std::string_view name);
/// "Usage: PROG <cmd> [<args>]" and one line per command, as `wg help` prints it.
void print_usage(std::FILE* out, std::string_view prog);

/// What `wgx --version` prints.
inline constexpr std::string_view VERSION_LINE =
    "wgx v0.1.0 - a wg(8) drop-in compatible with wireguard-tools v1.0.20210914\n";

} // namespace wgx::cli
