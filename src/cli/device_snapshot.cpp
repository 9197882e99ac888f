#include "cli/device_snapshot.hpp"

#include "cli/peer_names.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

Result<std::vector<NamedDevice>> read_named_devices(const std::string& only) {
    std::vector<std::string> names;
    if (!only.empty()) {
        names.push_back(only);
    } else {
        auto listed = ipc::list_devices();
        if (!listed)
            return listed.error();
        names = std::move(*listed);
    }
    std::vector<NamedDevice> devices;
    for (const auto& name : names) {
        auto dev = ipc::get_device(name);
        if (!dev) {
            if (!only.empty())
                return dev.error();
            continue;
        }
        auto peer_names = load_peer_names(dev->name);
        devices.push_back(NamedDevice{std::move(*dev), std::move(peer_names)});
    }
    return devices;
}

} // namespace wgx::cli
