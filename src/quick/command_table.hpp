#pragma once
// The map of wgx-quick's command line: one table of {name, action, description, ...}. Dispatch,
// the usage text, the man page check and the completions' tests all read it, so they cannot
// drift.
#include <span>
#include <string>
#include <string_view>

namespace wgx::quick {

enum class Action { up, down, save, strip, addpeer, showpeer, rmpeer, reload };

struct Command {
    std::string_view name;
    Action action;
    std::string_view description;
    /// wg-quick's subcommands take exactly one argument, CONFIG_FILE or INTERFACE; wgx-quick
    /// accepts this one flag after it as well (empty: none).
    std::string_view flag = {};
    /// false for wgx-quick's own subcommands: the first usage line lists only wg-quick's, byte
    /// for byte as wg-quick prints it; the usage text's "Beyond wg-quick" block lists the others.
    bool from_wg_quick = true;
    /// For wgx-quick's own subcommands: what follows the name, as the usage text shows it.
    std::string_view synopsis = {};
    /// For wg-quick's subcommands: an option that takes its value after '=' ("--dns-backend="),
    /// accepted after the argument as well (empty: none).
    std::string_view value_option = {};
};

/// The subcommands, wg-quick's first, in the order the usage line lists them.
std::span<const Command> command_table();
/// The command named `name` (exact, case-sensitive), or nullptr.
const Command* find_command(std::string_view name);
/// "up | down | save | strip": the alternatives of the usage line (wg-quick's subcommands).
std::string command_alternatives();

} // namespace wgx::quick
