#include "engine/configure.hpp"

namespace wgx::engine {

void apply_update(const model::Device& update, protocol::Device& device, Now now,
                  protocol::Output& out) {
    if (update.private_key) {
        if (update.private_key->is_zero())
            device.set_private_key(std::nullopt);
        else
            device.set_private_key(update.private_key);
    }
    if (update.replace_peers)
        device.remove_all_peers();
    for (const model::Peer& p : update.peers) {
        const crypto::Key& key = p.public_key;
        if (p.remove) {
            device.remove_peer(key);
            continue;
        }
        if (p.update_only && !device.has_peer(key))
            continue;
        if (!device.add_peer(key))
            continue; // our own public key: the references ignore such a peer entirely
        if (p.preshared_key)
            device.set_preshared_key(key, p.preshared_key);
        if (p.endpoint)
            device.set_endpoint(key, *p.endpoint);
        if (p.replace_allowed_ips)
            device.remove_all_allowed_ips(key);
        for (const model::AllowedIp& a : p.allowed_ips) {
            if (a.remove)
                device.remove_allowed_ip(key, a.prefix);
            else
                device.add_allowed_ip(key, a.prefix);
        }
        if (p.persistent_keepalive)
            device.set_persistent_keepalive(key, *p.persistent_keepalive, now, out);
    }
}

model::Device read_state(const protocol::Device& device, const SocketSettings& settings,
                         std::uint16_t bound_port) {
    model::Device state;
    if (auto key = device.private_key(); key && !key->is_zero()) {
        state.private_key = key;
        state.public_key = device.public_key();
    }
    std::uint16_t port = bound_port != 0 ? bound_port : settings.listen_port;
    if (port != 0)
        state.listen_port = port;
    if (settings.fwmark != 0)
        state.fwmark = settings.fwmark;
    std::vector<protocol::PeerInfo> peers = device.peers();
    state.peers.reserve(peers.size());
    for (protocol::PeerInfo& info : peers) {
        model::Peer& p = state.peers.emplace_back();
        p.public_key = info.public_key;
        p.preshared_key = info.preshared_key;
        p.endpoint = info.endpoint;
        p.persistent_keepalive = info.persistent_keepalive;
        p.allowed_ips.reserve(info.allowed_ips.size());
        for (const IpPrefix& prefix : info.allowed_ips)
            p.allowed_ips.push_back(model::AllowedIp{prefix, false});
        p.last_handshake = info.last_handshake;
        p.rx_bytes = info.rx_bytes;
        p.tx_bytes = info.tx_bytes;
        p.protocol_version = 1;
    }
    return state;
}

uapi::WgxCounters read_counters(const protocol::Device& device) {
    uapi::WgxCounters counters;
    counters.source_not_allowed = device.counters().source_not_allowed;
    for (const protocol::PeerInfo& info : device.peers())
        counters.peers.push_back({info.public_key, info.source_not_allowed});
    return counters;
}

std::string peer_log_name(const crypto::Key& public_key) {
    std::string b64 = public_key.to_base64();
    return "peer(" + b64.substr(0, 4) + "\u2026" + b64.substr(39, 4) + ")";
}

} // namespace wgx::engine
