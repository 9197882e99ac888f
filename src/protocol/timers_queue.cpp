#include "protocol/timers.hpp"

namespace wgx::protocol {

void TimerQueue::arm(PeerTimers& t, PeerId peer, std::uint64_t serial, Timer timer, MonoTime when) {
    auto i = std::size_t(timer);
    t.due[i] = when;
    if (!t.queued[i] || when < *t.queued[i]) {
        t.queued[i] = when;
        heap_.push(Entry{when, peer, serial, timer});
    }
}

std::optional<TimerQueue::Entry> TimerQueue::pop_due(MonoTime now) {
    if (heap_.empty() || heap_.top().when > now)
        return std::nullopt;
    Entry e = heap_.top();
    heap_.pop();
    return e;
}

} // namespace wgx::protocol
