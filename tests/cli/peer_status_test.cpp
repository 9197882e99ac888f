#include <doctest/doctest.h>

#include "cli/peer_status.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {
model::Peer with_handshake(long long sec) {
    model::Peer p;
    if (sec)
        p.last_handshake = std::chrono::system_clock::time_point(std::chrono::seconds(sec));
    return p;
}
} // namespace

TEST_CASE("active up to the threshold, stale past it, never without a handshake") {
    const std::chrono::seconds limit(180);
    CHECK(peer_status(with_handshake(0), 1000, limit) == PeerStatus::never);
    CHECK(peer_status(with_handshake(1000 - 180), 1000, limit) == PeerStatus::active);
    CHECK(peer_status(with_handshake(1000 - 181), 1000, limit) == PeerStatus::stale);
    CHECK(peer_status(with_handshake(1005), 1000, limit) == PeerStatus::active);
    CHECK(peer_status(with_handshake(990), 1000, std::chrono::seconds(5)) == PeerStatus::stale);
    CHECK(status_word(PeerStatus::active) == "active");
    CHECK(status_word(PeerStatus::stale) == "stale");
    CHECK(status_word(PeerStatus::never) == "never");
    CHECK(handshake_seconds(with_handshake(42)) == 42);
}
