#include "quick/process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

#include <boost/process.hpp>

namespace bp = boost::process;

namespace wgx::quick {

namespace {
volatile std::sig_atomic_t g_signal = 0;
void on_signal(int sig) {
    g_signal = sig;
}
} // namespace

int pending_signal() {
    return g_signal;
}

void watch_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

void unwatch_signals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

std::optional<std::string> find_program(const std::string& name) {
    if (name.empty())
        return std::nullopt;
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? std::optional<std::string>(name) : std::nullopt;
    auto p = bp::search_path(name);
    if (p.empty())
        return std::nullopt;
    return p.string();
}

Result<Outcome> run_program(const Run& run) {
    auto exe = find_program(run.program);
    if (!exe)
        return make_error(run.program + ": command not found", ENOENT);
    try {
        bp::environment env = boost::this_process::environment();
        for (const auto& [k, v] : run.environment)
            env[k] = v;
        bp::opstream in;
        bp::ipstream out;
        bp::child child = [&] {
            if (run.capture_output && run.quiet_errors)
                return bp::child(*exe, bp::args(run.args), env, bp::std_in<in, bp::std_out> out,
                                 bp::std_err > bp::null);
            if (run.capture_output)
                return bp::child(*exe, bp::args(run.args), env, bp::std_in<in, bp::std_out> out);
            if (run.quiet_errors)
                return bp::child(*exe, bp::args(run.args), env,
                                 bp::std_in<in, bp::std_err> bp::null);
            return bp::child(*exe, bp::args(run.args), env, bp::std_in < in);
        }();
        {
            // A child that exits without reading its input (resolvconf refusing its arguments)
            // must fail as a program, not kill us with SIGPIPE halfway through a rollback-able
            // up. Ignored only here, after the fork: the child keeps the default disposition.
            struct sigaction ignore = {};
            struct sigaction previous = {};
            ignore.sa_handler = SIG_IGN;
            ::sigaction(SIGPIPE, &ignore, &previous);
            if (run.input)
                in << *run.input;
            in.flush();
            in.pipe().close();
            ::sigaction(SIGPIPE, &previous, nullptr);
        }
        Outcome o;
        if (run.capture_output) {
            std::string line;
            while (std::getline(out, line))
                o.output += line + "\n";
        }
        if (run.stop_on_signal) {
            // Poll so that a signal to us (not to the child's process group) still ends a
            // hook that would hang; 10 ms keeps the added latency invisible.
            bool stopped = false;
            while (child.running()) {
                if (pending_signal() && !stopped) {
                    ::kill(child.id(), SIGTERM);
                    stopped = true;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        child.wait();
        o.exit_code = child.exit_code();
        return o;
    } catch (const std::exception& e) {
        return make_error(run.program + ": " + e.what(), EIO);
    }
}

} // namespace wgx::quick
