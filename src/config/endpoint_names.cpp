#include "config/endpoint_names.hpp"

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

#include <fmt/format.h>

#include "base/atomic_file.hpp"

namespace wgx::config {

namespace {
constexpr std::string_view SUFFIX = ".endpoints";

std::string runtime_dir() {
    const char* env = std::getenv("WGX_QUICK_STATE_DIR");
    return env && *env ? env : "/run/wgx-quick";
}
} // namespace

std::string endpoint_names_path(const std::string& interface) {
    return runtime_dir() + "/" + interface + std::string(SUFFIX);
}

std::vector<EndpointName> endpoint_names_of(const model::Device& device) {
    std::vector<EndpointName> out;
    for (const auto& p : device.peers)
        if (p.endpoint_host)
            out.push_back({p.public_key, *p.endpoint_host});
    return out;
}

std::string format_endpoint_names(const std::vector<EndpointName>& names) {
    std::string out;
    for (const auto& n : names)
        out += n.public_key.to_base64() + " " + n.endpoint + "\n";
    return out;
}

Result<std::vector<EndpointName>> parse_endpoint_names(std::string_view text,
                                                       const std::string& source) {
    std::vector<EndpointName> out;
    unsigned number = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        auto space = line.find(' ');
        auto key = space == std::string_view::npos ? std::nullopt
                                                   : model::Key::from_base64(line.substr(0, space));
        if (!key || space + 1 >= line.size() || line.find(' ', space + 1) != std::string_view::npos)
            return make_error(fmt::format("{}:{}: not \"PUBLIC-KEY HOST:PORT\"", source, number),
                              EINVAL);
        out.push_back({*key, std::string(line.substr(space + 1))});
    }
    return out;
}

Result<void> write_endpoint_names(const std::string& interface,
                                  const std::vector<EndpointName>& names) {
    if (names.empty()) {
        forget_endpoint_names(interface);
        return {};
    }
    ::mkdir(runtime_dir().c_str(), 0700);
    return write_file_atomically(endpoint_names_path(interface), format_endpoint_names(names),
                                 0600);
}

Result<std::vector<EndpointName>> read_endpoint_names(const std::string& interface) {
    std::string path = endpoint_names_path(interface);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT)
            return std::vector<EndpointName>{};
        return make_error(path + ": " + std::strerror(errno), errno);
    }
    std::stringstream text;
    text << in.rdbuf();
    return parse_endpoint_names(text.str(), path);
}

void forget_endpoint_names(const std::string& interface) {
    ::unlink(endpoint_names_path(interface).c_str());
}

std::vector<std::string> interfaces_with_endpoint_names() {
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
