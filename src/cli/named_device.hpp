#pragma once
// What the machine-readable forms (JSON, Prometheus) and `top` are made from: a device read
// back from its interface, its peers' names, and the moment and threshold that give a status.
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "cli/peer_status.hpp"
#include "config/peer_names.hpp"
#include "model/device.hpp"

namespace wgx::cli {

struct NamedDevice {
    model::Device device;
    std::vector<config::PeerName> names;

    std::optional<std::string> name_of(const model::Peer& peer) const {
        return config::name_of(names, peer.public_key.to_base64());
    }
};

/// How the machine-readable forms are written.
struct ReportStyle {
    /// WG_HIDE_KEYS=never shows private and preshared keys; otherwise they are left out.
    bool hide_keys = true;
    std::time_t now = 0;
    std::chrono::seconds stale_after = REJECT_AFTER_TIME;
};

} // namespace wgx::cli
