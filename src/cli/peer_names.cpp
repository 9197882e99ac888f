#include "cli/peer_names.hpp"

#include "base/secret_file.hpp"
#include "config/runtime_file.hpp"
#include "crypto/key.hpp"

namespace wgx::cli {

std::string names_source(const std::string& interface) {
    if (auto state = config::read_runtime_state(interface); state && !state->config_path.empty())
        return state->config_path;
    return "/etc/wireguard/" + interface + ".conf";
}

std::vector<config::PeerName> load_peer_names(const std::string& interface) {
    // The file holds a private key: read into wiping memory, past any stdio buffer.
    auto text = read_secret_file(names_source(interface));
    if (!text)
        return {};
    return config::read_peer_names(*text);
}

std::string resolve_peer_argument(const std::string& interface, const std::string& argument) {
    if (crypto::Key::from_base64(argument))
        return argument;
    if (auto key = config::key_of(load_peer_names(interface), argument))
        return *key;
    return argument;
}

} // namespace wgx::cli
