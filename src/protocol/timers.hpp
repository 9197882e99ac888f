#pragma once
// The whitepaper's timers (§6) as deadlines, never OS timers. Each peer has five; the device
// keeps one heap of armed deadlines so next_deadline() is O(1). A timer moved later leaves its
// heap entry in place (re-queued when it surfaces), so per-packet re-arming costs no push.
#include <array>
#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

#include "base/now.hpp"
#include "protocol/allowed_ips.hpp"

namespace wgx::protocol {

enum class Timer : std::uint8_t {
    retransmit_handshake,
    send_keepalive,
    new_handshake,
    zero_key_material,
    persistent_keepalive,
};
inline constexpr std::size_t TIMER_COUNT = 5;

/// One peer's timer state.
struct PeerTimers {
    std::array<std::optional<MonoTime>, TIMER_COUNT> due{};
    /// The earliest heap entry for each timer (at or before `due`).
    std::array<std::optional<MonoTime>, TIMER_COUNT> queued{};
    unsigned handshake_attempts = 0;
    bool need_another_keepalive = false;
    bool sent_lastminute_handshake = false;

    bool pending(Timer t) const { return due[std::size_t(t)].has_value(); }
};

/// The device's heap of (deadline, peer, timer).
class TimerQueue {
  public:
    struct Entry {
        MonoTime when;
        PeerId peer;
        std::uint64_t serial; // the peer's identity, so a reused PeerId cannot fire old timers
        Timer timer;
        bool operator>(const Entry& o) const { return when > o.when; }
    };

    void arm(PeerTimers& t, PeerId peer, std::uint64_t serial, Timer timer, MonoTime when);
    static void disarm(PeerTimers& t, Timer timer) { t.due[std::size_t(timer)].reset(); }
    /// The earliest entry (possibly stale: then on_deadline finds nothing to do).
    MonoTime next() const { return heap_.empty() ? MonoTime::max() : heap_.top().when; }
    const Entry* top() const { return heap_.empty() ? nullptr : &heap_.top(); }
    void pop() { heap_.pop(); }
    /// Pops the earliest entry if it is due.
    std::optional<Entry> pop_due(MonoTime now);
    void clear() { heap_ = {}; }

  private:
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
};

} // namespace wgx::protocol
