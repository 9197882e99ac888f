#pragma once
// wgx's own UAPI request, "wgx_counters=1\n\n": counters that the get reply has no key for (wg
// rejects a get reply holding an unknown key, so they never go there). wgx-engine answers it;
// other implementations close the connection on the unknown operation, which the client reads
// as "not supported". Laid out like a get reply: device-wide keys first, then one section per
// peer opened by its public_key line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/key.hpp"

namespace wgx::uapi {

struct WgxPeerCounters {
    crypto::Key public_key;
    /// Packets from this peer dropped because their inner source is outside its allowed IPs
    /// (or is not an IPv4/IPv6 packet at all).
    std::uint64_t source_not_allowed = 0;
};

struct WgxCounters {
    /// The same, summed over the device (peers removed since included).
    std::uint64_t source_not_allowed = 0;
    /// WireGuard datagrams carried inside the tunnel (a tunnel in the tunnel, or a routing
    /// loop) dropped because they exceeded the path MTU: the engine never fragments them.
    std::uint64_t nested_too_big = 0;
    std::vector<WgxPeerCounters> peers;
};

inline constexpr std::string_view WGX_COUNTERS_REQUEST = "wgx_counters=1\n\n";

/// "source_not_allowed=N\nnested_too_big=N\n", then per peer "public_key=HEX\n
/// source_not_allowed=N\n", then "errno=0\n\n".
std::string encode_wgx_counters(const WgxCounters& counters);
/// Parses a reply; unknown keys are skipped; errno other than 0, or no errno line, is an error
/// (code EPROTO, or the errno given).
Result<WgxCounters> decode_wgx_counters(std::string_view reply);

} // namespace wgx::uapi
