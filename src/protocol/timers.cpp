// The timer event hooks (whitepaper §6.2-§6.5; the kernel's timers.c has the same shape) and
// what each timer does when it fires.
#include "protocol/device_impl.hpp"

namespace wgx::protocol {

void Device::Impl::arm(Peer& p, Timer t, MonoTime when) {
    // Timers run only while the device is up, as the references' mod_peer_timer.
    if (up)
        timer_queue.arm(p.timers, p.id, p.serial, t, when);
}

MonoTime Device::Impl::jitter(MonoTime t) {
    auto max_ms = std::chrono::duration_cast<std::chrono::milliseconds>(REKEY_TIMEOUT_JITTER_MAX);
    return t + std::chrono::milliseconds(random.uniform(std::uint32_t(max_ms.count()) + 1));
}

/// After an authenticated data packet is sent: expect an answer within 15 s, or rekey.
void Device::Impl::on_data_sent(Peer& p, Now now) {
    if (!p.timers.pending(Timer::new_handshake))
        arm(p, Timer::new_handshake, jitter(now.monotonic + KEEPALIVE_TIMEOUT + REKEY_TIMEOUT));
}

/// After an authenticated data packet is received: answer with a keepalive if we have nothing
/// to send within 10 s (passive keepalive).
void Device::Impl::on_data_received(Peer& p, Now now) {
    if (!up)
        return;
    if (!p.timers.pending(Timer::send_keepalive))
        arm(p, Timer::send_keepalive, now.monotonic + KEEPALIVE_TIMEOUT);
    else
        p.timers.need_another_keepalive = true;
}

/// After any authenticated packet (data, keepalive, handshake) is sent.
void Device::Impl::on_any_authenticated_packet_sent(Peer& p) {
    TimerQueue::disarm(p.timers, Timer::send_keepalive);
}

/// After any authenticated packet is received.
void Device::Impl::on_any_authenticated_packet_received(Peer& p) {
    TimerQueue::disarm(p.timers, Timer::new_handshake);
}

/// Before an authenticated packet is sent or after one is received: restart persistent keepalive.
void Device::Impl::on_any_authenticated_packet_traversal(Peer& p, Now now) {
    if (p.persistent_keepalive)
        arm(p, Timer::persistent_keepalive,
            now.monotonic + std::chrono::seconds(p.persistent_keepalive));
}

/// After an initiation is sent: retransmit after REKEY_TIMEOUT plus jitter.
void Device::Impl::on_handshake_initiated(Peer& p, Now now) {
    arm(p, Timer::retransmit_handshake, jitter(now.monotonic + REKEY_TIMEOUT));
}

/// After a response is consumed, or the responder's first data packet under a new keypair.
void Device::Impl::on_handshake_complete(Peer& p, Now now) {
    TimerQueue::disarm(p.timers, Timer::retransmit_handshake);
    p.timers.handshake_attempts = 0;
    p.timers.sent_lastminute_handshake = false;
    p.last_handshake = now.wall;
}

/// After new transport keys exist: erase everything if no new handshake within 9 minutes.
void Device::Impl::on_session_derived(Peer& p, Now now) {
    arm(p, Timer::zero_key_material, now.monotonic + 3 * REJECT_AFTER_TIME);
}

void Device::Impl::fire(Peer& p, Timer t, Now now, Output& out) {
    switch (t) {
    case Timer::retransmit_handshake:
        if (p.timers.handshake_attempts > MAX_TIMER_HANDSHAKES) {
            // Give up: drop what waited for the session, and erase the remains later.
            TimerQueue::disarm(p.timers, Timer::send_keepalive);
            counters.staged_dropped += p.staged.size();
            p.staged.clear();
            if (!p.timers.pending(Timer::zero_key_material))
                arm(p, Timer::zero_key_material, now.monotonic + 3 * REJECT_AFTER_TIME);
        } else {
            ++p.timers.handshake_attempts;
            // The cached source address may be why nothing comes back.
            p.local_source.reset();
            send_handshake_initiation(p, true, now, out);
        }
        break;
    case Timer::send_keepalive:
        send_keepalive(p, now, out);
        if (p.timers.need_another_keepalive) {
            p.timers.need_another_keepalive = false;
            arm(p, Timer::send_keepalive, now.monotonic + KEEPALIVE_TIMEOUT);
        }
        break;
    case Timer::new_handshake:
        // We sent data and heard nothing for 15 s.
        p.local_source.reset();
        send_handshake_initiation(p, false, now, out);
        break;
    case Timer::zero_key_material: {
        release_handshake_index(p);
        p.handshake.clear();
        std::uint32_t dropped[3];
        p.keypairs.clear(dropped);
        for (auto i : dropped)
            index.release(i);
        break;
    }
    case Timer::persistent_keepalive:
        if (p.persistent_keepalive)
            send_keepalive(p, now, out);
        break;
    }
}

MonoTime Device::Impl::next_deadline() {
    while (const TimerQueue::Entry* e = timer_queue.top()) {
        Peer* p = by_id(e->peer);
        auto i = std::size_t(e->timer);
        if (!p || p->serial != e->serial || p->timers.queued[i] != e->when) {
            timer_queue.pop(); // the peer is gone, or an earlier entry superseded this one
            continue;
        }
        auto due = p->timers.due[i];
        if (due && *due == e->when)
            return e->when;
        // Disarmed, or moved later: drop this entry and queue the real deadline, if any.
        Timer t = e->timer;
        timer_queue.pop();
        p->timers.queued[i].reset();
        if (due)
            timer_queue.arm(p->timers, p->id, p->serial, t, *due);
    }
    return MonoTime::max();
}

void Device::Impl::on_deadline(Now now, Output& out) {
    while (auto e = timer_queue.pop_due(now.monotonic)) {
        Peer* p = by_id(e->peer);
        if (!p || p->serial != e->serial)
            continue;
        auto i = std::size_t(e->timer);
        auto& queued = p->timers.queued[i];
        auto& due = p->timers.due[i];
        if (queued != e->when)
            continue; // superseded by an earlier entry
        queued.reset();
        if (!due)
            continue; // disarmed
        if (*due > now.monotonic) {
            // Moved later since it was queued: queue it again at its real time.
            timer_queue.arm(p->timers, p->id, p->serial, e->timer, *due);
            continue;
        }
        due.reset();
        fire(*p, e->timer, now, out);
    }
}

} // namespace wgx::protocol
