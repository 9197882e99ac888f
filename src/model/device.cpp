#include "model/device.hpp"

namespace wgx::model {

Peer* Device::find_peer(const Key& key) {
    for (auto& p : peers)
        if (p.public_key == key)
            return &p;
    return nullptr;
}

const Peer* Device::find_peer(const Key& key) const {
    for (const auto& p : peers)
        if (p.public_key == key)
            return &p;
    return nullptr;
}

} // namespace wgx::model
