#pragma once
// What every subcommand knows: the interface, its configuration, and how to report.
#include <optional>
#include <string>
#include <vector>

#include "config/config_reader.hpp"
#include "netlink/socket.hpp"
#include "quick/dns_backend.hpp"
#include "quick/plan.hpp"
#include "quick/undo.hpp"

namespace wgx::quick {

struct Context {
    std::string program = "wgx-quick";
    std::string interface;
    std::string config_file; // canonical path
    config::ConfigFile config;
    /// The words after the target (options of wgx-quick's own subcommands).
    std::vector<std::string> options;
    /// --dns-backend= of `up`; nullopt: chosen by what the host runs.
    std::optional<DnsBackend> dns_backend;
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
int cmd_addpeer(Context& ctx);
int cmd_showpeer(Context& ctx);
int cmd_rmpeer(Context& ctx);
int cmd_reload(Context& ctx);

/// Writes the live configuration into ctx.config_file, changing only the values that differ.
/// Refuses with ESTALE when the file changed on disk since up (unless `force`).
Result<void> save_config(Context& ctx, netlink::Socket& sock, bool force = false);

} // namespace wgx::quick
