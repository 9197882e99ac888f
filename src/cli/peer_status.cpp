#include "cli/peer_status.hpp"

namespace wgx::cli {

long long handshake_seconds(const model::Peer& peer) {
    if (!peer.last_handshake)
        return 0;
    return std::chrono::floor<std::chrono::seconds>(peer.last_handshake->time_since_epoch())
        .count();
}

PeerStatus peer_status(const model::Peer& peer, std::time_t now, std::chrono::seconds stale_after) {
    long long then = handshake_seconds(peer);
    if (then == 0)
        return PeerStatus::never;
    return now - then > stale_after.count() ? PeerStatus::stale : PeerStatus::active;
}

std::string_view status_word(PeerStatus status) {
    switch (status) {
    case PeerStatus::active:
        return "active";
    case PeerStatus::stale:
        return "stale";
    case PeerStatus::never:
        break;
    }
    return "never";
}

} // namespace wgx::cli
