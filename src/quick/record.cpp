#include "quick/record.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.hpp"
#include "config/runtime_file.hpp"

namespace wgx::quick {

std::string state_dir() {
    return config::runtime_dir();
}

std::string record_path(const std::string& interface) {
    return state_dir() + "/" + interface;
}

Result<void> write_record(const std::string& interface, const std::vector<Undo>& undos) {
    std::string path = record_path(interface);
    if (undos.empty()) {
        if (::unlink(path.c_str()) < 0 && errno != ENOENT)
            return make_error("Unable to remove `" + path + "'", errno);
        return {};
    }
    // 0755 like the runtime files' writer (the same directory): the files in it are 0600.
    if (::mkdir(state_dir().c_str(), 0755) < 0 && errno != EEXIST)
        return make_error("Unable to create `" + state_dir() + "'", errno);
    return write_file_atomically(path, record_text(undos), 0600);
}

std::optional<std::vector<Undo>> read_record(const std::string& interface) {
    std::ifstream in(record_path(interface));
    if (!in)
        return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_record(ss.str());
}

bool sysctl_held_elsewhere(const std::string& interface, const std::string& sysctl_key) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(state_dir(), ec)) {
        std::string name = e.path().filename().string();
        if (name == interface || name.find(".tmp.") != std::string::npos)
            continue;
        auto undos = read_record(name);
        if (!undos)
            continue;
        for (const auto& u : *undos)
            if (auto* s = std::get_if<RestoreSysctl>(&u); s && s->key == sysctl_key)
                return true;
    }
    return false;
}

} // namespace wgx::quick
