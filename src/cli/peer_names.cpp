#include "cli/peer_names.hpp"

#include <cstdio>
#include <string.h>

#include "config/runtime_file.hpp"
#include "crypto/key.hpp"

namespace wgx::cli {

std::string names_source(const std::string& interface) {
    if (auto state = config::read_runtime_state(interface); state && !state->config_path.empty())
        return state->config_path;
    return "/etc/wireguard/" + interface + ".conf";
}

std::vector<config::PeerName> load_peer_names(const std::string& interface) {
    std::FILE* file = std::fopen(names_source(interface).c_str(), "re");
    if (!file)
        return {};
    // The file holds a private key: read it (its first MiB) into one buffer wiped afterwards.
    std::string text(1024 * 1024, '\0');
    std::size_t length = std::fread(text.data(), 1, text.size(), file);
    std::fclose(file);
    auto names = config::read_peer_names(std::string_view(text).substr(0, length));
    ::explicit_bzero(text.data(), text.size());
    return names;
}

std::string resolve_peer_argument(const std::string& interface, const std::string& argument) {
    if (crypto::Key::from_base64(argument))
        return argument;
    if (auto key = config::key_of(load_peer_names(interface), argument))
        return *key;
    return argument;
}

} // namespace wgx::cli
