#include "quick/hooks.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <unistd.h>

#include "quick/process.hpp"

namespace wgx::quick {

std::string expand_hook(const std::string& hook, const std::string& interface) {
    std::string out;
    for (std::size_t i = 0; i < hook.size(); ++i) {
        if (hook[i] == '%' && i + 1 < hook.size() && hook[i + 1] == 'i') {
            out += interface;
            ++i;
        } else {
            out += hook[i];
        }
    }
    return out;
}

namespace {

/// wg-quick puts its own directory first on PATH; ours is where this binary lives.
std::string path_with_self() {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/sbin:/usr/bin:/sbin:/bin";
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return path;
    std::string self(buf, std::size_t(n));
    return self.substr(0, self.rfind('/')) + ":" + path;
}

} // namespace

Result<void> run_hooks(const std::vector<std::string>& hooks, const std::string& interface,
                       const std::string& config_file, const Echo& echo) {
    for (const auto& raw : hooks) {
        std::string hook = expand_hook(raw, interface);
        echo(hook);
        Run run;
        run.program = "bash";
        // The hook is eval'ed like wg-quick's `(eval "$hook")`, in a shell with its options.
        run.args = {"-c", "set -e -o pipefail; shopt -s extglob; eval \"$1\"", "wgx-quick", hook};
        run.environment = {{"LC_ALL", "C"},
                           {"INTERFACE", interface},
                           {"CONFIG_FILE", config_file},
                           {"PATH", path_with_self()}};
        run.stop_on_signal = true;
        auto r = run_program(run);
        if (!r)
            return r.error();
        if (pending_signal())
            return make_error("Interrupted by signal " + std::to_string(pending_signal()), EINTR);
        if (r->exit_code != 0)
            return make_error(
                "`" + hook + "' failed with exit status " + std::to_string(r->exit_code), ECHILD);
    }
    return {};
}

} // namespace wgx::quick
