#pragma once
// A peer's status from its latest handshake: `active` while a session key can still be valid,
// `stale` after that, `never` without any handshake. The threshold defaults to the protocol's
// REJECT_AFTER_TIME (180 s): past it, no session key of the peer is usable any more.
#include <chrono>
#include <ctime>
#include <string_view>

#include "model/device.hpp"

namespace wgx::cli {

enum class PeerStatus { active, stale, never };

/// The whitepaper's REJECT_AFTER_TIME, the default --stale-after.
inline constexpr std::chrono::seconds REJECT_AFTER_TIME{180};

/// The status of `peer` at `now` (UNIX seconds): stale when the handshake is older than
/// `stale_after`; a handshake from the future (clock wound back) counts as active.
PeerStatus peer_status(const model::Peer& peer, std::time_t now, std::chrono::seconds stale_after);
/// "active", "stale" or "never".
std::string_view status_word(PeerStatus status);
/// The latest handshake in UNIX seconds, 0 when there was none (as `wg show dump` prints it).
long long handshake_seconds(const model::Peer& peer);

} // namespace wgx::cli
