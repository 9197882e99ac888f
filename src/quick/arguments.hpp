#pragma once
// wg-quick's command line: `[ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]`, the
// config file's location and name rules, and its usage text.
#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "base/result.hpp"
#include "quick/command_table.hpp"

namespace wgx::quick {

/// What the command line asks for.
struct Arguments {
    enum class Kind { help, version, usage_error, run } kind = Kind::usage_error;
    Action action = Action::up;
    std::string target; // CONFIG_FILE or INTERFACE, as given
    /// What follows the target (only wgx-quick's own subcommands take any).
    std::vector<std::string> options;
};

/// wg-quick's dispatch for wg-quick's subcommands: one of --help/-h/help alone is help; a
/// subcommand of the table and one argument runs; anything else is a usage error (exit 1).
/// Beyond wg-quick: --version alone asks for the version; up/strip accept --strict and save
/// --force after the argument; wgx-quick's own subcommands (addpeer, showpeer, rmpeer, reload)
/// take options after the target.
Arguments parse_arguments(int argc, char** argv);

/// An interface name wg-quick accepts: [a-zA-Z0-9_=+.-]{1,15}.
bool valid_interface_name(std::string_view name);

/// Where the configuration is and which interface it names.
struct ConfigLocation {
    std::string path;      // canonical (readlink -f)
    std::string interface; // the file's basename without ".conf"
};

/// wg-quick's parse_options() path logic: a bare interface name means
/// /etc/wireguard/NAME.conf (also when it contains dots, as wg-quick does); the file must
/// exist; its basename must be a valid interface name followed by ".conf".
/// Errors carry wg-quick's wording, without the program prefix.
Result<ConfigLocation>
locate_config(const std::string& target, const std::function<bool(const std::string&)>& exists,
              const std::function<std::string(const std::string&)>& canonical);
/// The same with the real file system.
Result<ConfigLocation> locate_config(const std::string& target);

/// wg-quick's warning test: some permission bit for "others" set on both the file and its
/// directory.
bool world_accessible(mode_t file_mode, mode_t dir_mode);

/// The usage text wg-quick prints (to stderr), with `program` as its name.
std::string usage_text(const std::string& program);

} // namespace wgx::quick
