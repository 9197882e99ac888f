#include "config/runtime_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.hpp"

namespace wgx::config {

namespace {

constexpr std::string_view CONFIG_PATH_KEY = "ConfigPath";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string runtime_dir() {
    const char* env = std::getenv("WGX_RUNTIME_DIR");
    return env && *env ? env : "/run/wgx";
}

std::string runtime_file_path(const std::string& interface) {
    return runtime_dir() + "/" + interface + ".runtime";
}

std::string format_runtime_state(const RuntimeState& state) {
    return "# Written by wgx-quick up; read by wgx. Removed by wgx-quick down.\n" +
           std::string(CONFIG_PATH_KEY) + " = " + state.config_path + "\n";
}

Result<RuntimeState> parse_runtime_state(std::string_view text, const std::string& source) {
    RuntimeState state;
    unsigned number = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        line = trim(line);
        if (line.empty() || line.front() == '#')
            continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            return make_error(source + ":" + std::to_string(number) + ": Line unrecognized: `" +
                                  std::string(line) + "'",
                              EINVAL);
        if (trim(line.substr(0, eq)) == CONFIG_PATH_KEY)
            state.config_path = std::string(trim(line.substr(eq + 1)));
    }
    return state;
}

Result<void> write_runtime_state(const std::string& interface, const RuntimeState& state) {
    std::string dir = runtime_dir();
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
        return make_error("Unable to create `" + dir + "': " + std::strerror(errno), errno);
    return write_file_atomically(runtime_file_path(interface), format_runtime_state(state), 0600);
}

std::optional<RuntimeState> read_runtime_state(const std::string& interface) {
    std::string path = runtime_file_path(interface);
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto state = parse_runtime_state(text.str(), path);
    if (!state)
        return std::nullopt;
    return std::move(*state);
}

Result<void> remove_runtime_state(const std::string& interface) {
    std::string path = runtime_file_path(interface);
    if (::unlink(path.c_str()) < 0 && errno != ENOENT)
        return make_error("Unable to remove `" + path + "': " + std::strerror(errno), errno);
    return {};
}

} // namespace wgx::config
