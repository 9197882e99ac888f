#pragma once
// The whole map of the wg-compatible command line: one table of {name, function, description,
// synopsis}. The usage texts are generated from it, and the man page and completion tests read
// it, so help and documentation cannot drift from dispatch.
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "cli/commands.hpp"

namespace wgx::cli {

struct Command {
    std::string_view name;
    int (*run)(const Invocation&);
    std::string_view description;
    /// The arguments of the usage line after "Usage: PROG NAME", exactly as wg prints them;
    /// every literal keyword in it (not in <angle brackets>) is an option of the command.
    std::string_view synopsis;
    /// false for wgx's own subcommands: `help` and usage errors list only wg's, byte for byte
    /// as wg prints them; `help --all` lists the others too.
    bool from_wg = true;
};

/// The subcommands in wg's order.
std::span<const Command> command_table();
/// The command named `name`, or nullptr.
const Command* find_command(std::string_view name);
/// "Usage: PROG <cmd> [<args>]" and one line per command, as `wg help` prints it; with
/// `all`, wgx's own subcommands follow under their own heading.
void print_usage(std::FILE* out, std::string_view prog, bool all = false);
/// "Usage: PROG NAME SYNOPSIS" on stderr for the subcommand in inv.args[0], as wg prints it.
void print_command_usage(const Invocation& inv);

/// What `wgx --version` prints, with the project version (base/version.hpp).
std::string version_line();

} // namespace wgx::cli
