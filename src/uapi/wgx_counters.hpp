#pragma once
// wgx's own UAPI request, "wgx_counters=1\n\n": device-wide counters that the get reply has no
// key for (wg rejects a get reply holding an unknown key, so they never go there). wgx-engine
// answers it; other implementations close the connection on the unknown operation, which the
// client reads as "not supported".
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace wgx::uapi {

struct WgxCounters {
    /// Packets from a peer dropped because their inner source is outside its allowed IPs.
    std::uint64_t source_not_allowed = 0;
    /// WireGuard datagrams carried inside the tunnel (a tunnel in the tunnel, or a routing
    /// loop) dropped because they exceeded the path MTU: the engine never fragments them.
    std::uint64_t nested_too_big = 0;
};

inline constexpr std::string_view WGX_COUNTERS_REQUEST = "wgx_counters=1\n\n";

/// "source_not_allowed=N\nnested_too_big=N\nerrno=0\n\n".
std::string encode_wgx_counters(const WgxCounters& counters);
/// Parses a reply; unknown keys are skipped; errno other than 0, or no errno line, is an error
/// (code EPROTO, or the errno given).
Result<WgxCounters> decode_wgx_counters(std::string_view reply);

} // namespace wgx::uapi
