#pragma once
// Which kernel offloads the engine's data path may use. Each one is on by default where the
// kernel has it and can be switched off with WGX_ENGINE_DISABLE_OFFLOADS (a comma-separated
// list of the names below, or "all"), so that every slow path stays tested and a kernel bug
// can be worked around without a rebuild.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace wgx::engine {

struct Offloads {
    /// TUN with IFF_VNET_HDR: TCP super-packets in (TSO) and out (GRO in userspace).
    bool tun_vnet = true;
    /// UDP segmentation on the TUN (TUN_F_USO4/6, Linux 6.2); needs tun_vnet.
    bool tun_uso = true;
    /// UDP_SEGMENT: one sendmsg for a run of same-size datagrams to one endpoint.
    bool udp_gso = true;
    /// UDP_GRO: one receive for a run of datagrams from one endpoint.
    bool udp_gro = true;
    /// recvmmsg/sendmmsg for what GSO/GRO do not cover.
    bool mmsg = true;
    /// Sealing, opening, sending and TUN writes on crypto worker threads
    /// (engine/crypto_workers.hpp); off, everything runs on the protocol's thread.
    bool io_thread = true;
    /// How many crypto workers when io_thread is on (WGX_ENGINE_CRYPTO_WORKERS, else one per
    /// core but the protocol's).
    unsigned crypto_workers = 1;

    /// "tun-vnet,udp-gso" style list of what is on, for the verbose log.
    std::string describe() const;
};

/// Parses the value of WGX_ENGINE_DISABLE_OFFLOADS (empty: everything on). Unknown names are
/// an error naming them.
Result<Offloads> parse_disabled_offloads(std::string_view disabled);

/// Parses the value of WGX_ENGINE_CRYPTO_WORKERS: a count from 1 to `most`.
Result<unsigned> parse_crypto_workers(std::string_view value, unsigned most);

} // namespace wgx::engine
