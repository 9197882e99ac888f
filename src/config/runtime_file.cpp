#include "config/runtime_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.hpp"

namespace wgx::config {

namespace {

constexpr std::string_view CONFIG_PATH_KEY = "ConfigPath";
constexpr std::string_view ENDPOINT_KEY = "Endpoint";
constexpr std::string_view SUFFIX = ".runtime";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// "PUBLIC-KEY HOST:PORT".
std::optional<EndpointName> parse_endpoint(std::string_view value) {
    auto space = value.find(' ');
    if (space == std::string_view::npos)
        return std::nullopt;
    auto key = model::Key::from_base64(value.substr(0, space));
    std::string_view host = trim(value.substr(space + 1));
    if (!key || host.empty() || host.find_first_of(" \t") != std::string_view::npos)
        return std::nullopt;
    return EndpointName{*key, std::string(host)};
}

} // namespace

std::string runtime_dir() {
    const char* env = std::getenv("WGX_QUICK_STATE_DIR");
    return env && *env ? env : "/run/wgx-quick";
}

std::string runtime_file_path(const std::string& interface) {
    return runtime_dir() + "/" + interface + std::string(SUFFIX);
}

std::string format_runtime_state(const RuntimeState& state) {
    std::string out = "# Written by wgx-quick up; read by wgx. Removed by wgx-quick down.\n" +
                      std::string(CONFIG_PATH_KEY) + " = " + state.config_path + "\n";
    for (const auto& e : state.endpoints)
        out +=
            std::string(ENDPOINT_KEY) + " = " + e.public_key.to_base64() + " " + e.endpoint + "\n";
    return out;
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
        auto where = [&] { return source + ":" + std::to_string(number) + ": "; };
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            return make_error(where() + "Line unrecognized: `" + std::string(line) + "'", EINVAL);
        std::string_view key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key == CONFIG_PATH_KEY) {
            state.config_path = std::string(value);
        } else if (key == ENDPOINT_KEY) {
            auto endpoint = parse_endpoint(value);
            if (!endpoint)
                return make_error(where() + "not \"Endpoint = PUBLIC-KEY HOST:PORT\"", EINVAL);
            state.endpoints.push_back(std::move(*endpoint));
        }
    }
    return state;
}

Result<void> write_runtime_state(const std::string& interface, const RuntimeState& state) {
    std::string dir = runtime_dir();
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
        return make_error("Unable to create `" + dir + "': " + std::strerror(errno), errno);
    return write_file_atomically(runtime_file_path(interface), format_runtime_state(state), 0600);
}

Result<std::optional<RuntimeState>> load_runtime_state(const std::string& interface) {
    std::string path = runtime_file_path(interface);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT)
            return std::optional<RuntimeState>();
        return make_error(path + ": " + std::strerror(errno), errno);
    }
    std::stringstream text;
    text << in.rdbuf();
    auto state = parse_runtime_state(text.str(), path);
    if (!state)
        return state.error();
    return std::optional<RuntimeState>(std::move(*state));
}

std::optional<RuntimeState> read_runtime_state(const std::string& interface) {
    auto state = load_runtime_state(interface);
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

std::vector<std::string> interfaces_with_runtime_state() {
    std::vector<std::string> out;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(runtime_dir().c_str()), &::closedir);
    if (!d)
        return out;
    while (dirent* e = ::readdir(d.get())) {
        std::string n = e->d_name;
        if (n.size() > SUFFIX.size() && n.ends_with(SUFFIX))
            out.push_back(n.substr(0, n.size() - SUFFIX.size()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace wgx::config
