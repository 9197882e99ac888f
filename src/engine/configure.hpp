#pragma once
// Applying a UAPI "set" (a model::Device update) to the protocol core, and reading its state
// back for a "get". The fallible part of a set -- the sockets -- is done by the engine before
// apply_update() runs, so a request is applied entirely or not at all.
#include <cstdint>

#include "base/now.hpp"
#include "model/device.hpp"
#include "protocol/device.hpp"
#include "uapi/wgx_counters.hpp"

namespace wgx::engine {

/// The settings the engine (not the protocol core) keeps: they belong to the sockets.
struct SocketSettings {
    /// Configured port; 0 = random.
    std::uint16_t listen_port = 0;
    /// 0 = no mark.
    std::uint32_t fwmark = 0;
};

/// Applies the protocol part of `update` with the reference's semantics: private key, then
/// replace_peers, then each peer in order (remove; update_only skipping unknown peers; a peer
/// with our own public key ignored; preshared key, endpoint, replace_allowed_ips, allowed IPs
/// added or "-"removed, and last the persistent keepalive, so that the keepalive it may send
/// goes to the new endpoint). Cannot fail: `update` was validated by the codec.
void apply_update(const model::Device& update, protocol::Device& device, Now now,
                  protocol::Output& out);

/// The state a "get" reports. `bound_port` is the port the sockets use now (0 when closed).
model::Device read_state(const protocol::Device& device, const SocketSettings& settings,
                         std::uint16_t bound_port);

/// What wgx's own counters request reports: the device's count of packets dropped for their
/// inner source, and each peer's.
uapi::WgxCounters read_counters(const protocol::Device& device);

/// "peer(AbCd…WxYz)", wireguard-go's short name of a peer for logs.
std::string peer_log_name(const crypto::Key& public_key);

} // namespace wgx::engine
