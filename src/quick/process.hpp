#pragma once
// Running other programs (hooks, resolvconf, a userspace implementation) through
// Boost.Process, with their output passed through, and the SIGINT/SIGTERM flag `up` watches.
#include <csignal>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace wgx::quick {

/// Set by SIGINT/SIGTERM while `up` runs (0 = none).
int pending_signal();
/// Installs the handlers that set pending_signal() (no SA_RESTART is needed: the flag is
/// polled between steps and while a child runs).
void watch_signals();
/// Restores the default dispositions.
void unwatch_signals();

/// Where `name` is on PATH (or `name` itself if it contains a slash and is executable).
std::optional<std::string> find_program(const std::string& name);

/// A program run.
struct Run {
    std::string program; // looked up on PATH unless it contains '/'
    std::vector<std::string> args;
    std::optional<std::string> input;               // fed to stdin, then closed
    std::map<std::string, std::string> environment; // added to ours
    bool capture_output = false;                    // else stdout is passed through
    bool quiet_errors = false;                      // stderr to /dev/null (2>/dev/null)
    bool stop_on_signal = false;                    // SIGTERM the child on pending_signal()
};

/// What came of it.
struct Outcome {
    int exit_code = 0;
    std::string output; // when captured
};

/// Runs and waits. Error: "PROGRAM: command not found" (code ENOENT) or a spawn failure.
Result<Outcome> run_program(const Run& run);

} // namespace wgx::quick
