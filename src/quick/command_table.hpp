#pragma once
// The map of wgx-quick's command line: one table of {name, action, description}. Dispatch, the
// usage line, the man page check and the completions' tests all read it, so they cannot drift.
#include <span>
#include <string>
#include <string_view>

namespace wgx::quick {

enum class Action { up, down, save, strip };

struct Command {
    std::string_view name;
    Action action;
    std::string_view description;
};

/// The subcommands, in the order the usage line lists them.
std::span<const Command> command_table();
/// The command named `name` (exact, case-sensitive), or nullptr.
const Command* find_command(std::string_view name);
/// "up | down | save | strip": the alternatives of the usage line.
std::string command_alternatives();

} // namespace wgx::quick
