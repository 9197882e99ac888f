#pragma once
// What every subcommand knows: the interface, its configuration, and how to report.
#include <string>

#include "config/config_reader.hpp"
#include "netlink/socket.hpp"
#include "quick/plan.hpp"
#include "quick/undo.hpp"

namespace wgx::quick {

struct Context {
    std::string program = "wgx-quick";
    std::string interface;
    std::string config_file; // canonical path
    config::ConfigFile config;
    Echo echo = echo_to_stderr;
};

/// "PROGRAM: MESSAGE" on stderr; returns 1 (wg-quick's die()).
int die(const Context& ctx, const std::string& message);

/// Undoes a record's changes, last first, echoing each; a sysctl another record still needs
/// is left alone; failures are reported and the rest still runs.
void undo_record(Context& ctx, netlink::Socket& sock, const std::vector<Undo>& undos);

int cmd_up(Context& ctx);
int cmd_down(Context& ctx);
int cmd_save(Context& ctx);

/// wg-quick's save_config(): writes the live configuration to ctx.config_file.
Result<void> save_config(Context& ctx, netlink::Socket& sock);

} // namespace wgx::quick
