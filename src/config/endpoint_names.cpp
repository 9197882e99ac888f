#include "config/endpoint_names.hpp"

namespace wgx::config {

std::vector<EndpointName> endpoint_names_of(const model::Device& device) {
    std::vector<EndpointName> out;
    for (const auto& p : device.peers)
        if (p.endpoint_host)
            out.push_back({p.public_key, *p.endpoint_host});
    return out;
}

Result<std::vector<EndpointName>> read_endpoint_names(const std::string& interface) {
    auto state = load_runtime_state(interface);
    if (!state)
        return state.error();
    if (!*state)
        return std::vector<EndpointName>{};
    return std::move((*state)->endpoints);
}

std::vector<std::string> interfaces_with_endpoint_names() {
    std::vector<std::string> out;
    for (auto& interface : interfaces_with_runtime_state())
        if (auto names = read_endpoint_names(interface); names && !names->empty())
            out.push_back(std::move(interface));
    return out;
}

} // namespace wgx::config
