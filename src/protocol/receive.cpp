// Receiving: handshake messages (after MAC1, and under load MAC2 and the rate limiter),
// cookie replies and transport data. Nothing that fails a check changes any state.
#include <cstring>

#include "protocol/device_impl.hpp"

namespace wgx::protocol {

void Device::Impl::on_datagram(ByteView d, const Endpoint& from, Now now, Output& out,
                               const std::optional<LocalSource>& local, const OpenedAhead& ahead) {
    if (!up)
        return;
    std::uint8_t type = message_type(d);
    switch (type) {
    case MESSAGE_HANDSHAKE_COOKIE:
        receive_cookie_reply(d, now);
        return;
    case MESSAGE_TRANSPORT_DATA:
        receive_transport(d, from, now, out, local, ahead);
        return;
    case MESSAGE_HANDSHAKE_INITIATION:
    case MESSAGE_HANDSHAKE_RESPONSE:
        break;
    default:
        ++counters.malformed;
        return;
    }
    // No reply of any kind without a valid MAC1. Under load, a valid MAC2 is needed too (else
    // a cookie reply is all the sender gets) and each source address is rate limited.
    //
    // Cookie replies are rate limited per source too, which wireguard-go and the kernel do not
    // do (they answer every message that lacks MAC2): a flood then costs two MAC checks a
    // message instead of an encryption and a reply, so the handshake queue drains and a
    // legitimate peer's first initiation still gets its cookie; a peer needs one reply per
    // REKEY_TIMEOUT, far below the limit.
    if (!cookie_checker.check_mac1(d)) {
        ++counters.bad_mac;
        return;
    }
    if (under_load) {
        if (!cookie_checker.check_mac2(d, from, now.monotonic, random)) {
            if (!cookie_reply_limiter.allow(from.address(), now.monotonic)) {
                ++counters.cookie_replies_limited;
                return;
            }
            std::uint8_t reply[cookie_reply::SIZE];
            cookie_checker.create_reply(d, load_le32(d.data() + 4), from, now.monotonic, random,
                                        reply);
            Bytes& b = out.add_datagram(from, local, sizeof reply);
            std::memcpy(b.data(), reply, sizeof reply);
            ++counters.cookie_replies_sent;
            return;
        }
        if (!ratelimiter.allow(from.address(), now.monotonic)) {
            ++counters.rate_limited;
            return;
        }
    }
    if (type == MESSAGE_HANDSHAKE_INITIATION)
        receive_initiation(d, from, now, out, local);
    else
        receive_response(d, from, now, out, local);
}

void Device::Impl::receive_cookie_reply(ByteView d, Now now) {
    const auto* e = index.find_index(load_le32(d.data() + cookie_reply::RECEIVER));
    Peer* p = e ? by_id(e->peer) : nullptr;
    if (!p || !p->cookie.consume_reply(d, now.monotonic))
        ++counters.handshake_rejected;
}

void Device::Impl::receive_initiation(ByteView d, const Endpoint& from, Now now, Output& out,
                                      const std::optional<LocalSource>& local) {
    InitiationInProgress st;
    Peer* p = nullptr;
    if (consume_initiation_start(identity, d.data(), st))
        p = find(st.remote_static);
    if (!p || !consume_initiation_finish(p->handshake, st, d.data(), now.monotonic)) {
        ++counters.handshake_rejected;
        return;
    }
    update_endpoint(*p, from, local);
    send_handshake_response(*p, now, out);
    p->rx_bytes += d.size();
    on_any_authenticated_packet_received(*p);
    on_any_authenticated_packet_traversal(*p, now);
}

void Device::Impl::receive_response(ByteView d, const Endpoint& from, Now now, Output& out,
                                    const std::optional<LocalSource>& local) {
    std::uint32_t receiver = load_le32(d.data() + response::RECEIVER);
    const auto* e = index.find_index(receiver);
    Peer* p = e && e->handshake ? by_id(e->peer) : nullptr;
    if (!p || p->handshake.local_index != receiver ||
        !consume_response(p->handshake, identity, d.data())) {
        ++counters.handshake_rejected;
        return;
    }
    update_endpoint(*p, from, local);
    p->rx_bytes += d.size();
    // The receive hooks run before anything is sent in answer (in the kernel the answer is
    // encrypted later by a worker), so that sending data can arm the new-handshake timer.
    on_any_authenticated_packet_received(*p);
    on_any_authenticated_packet_traversal(*p, now);
    if (auto keys = begin_session(p->handshake)) {
        install_keypair(*p, *keys, now.monotonic);
        on_session_derived(*p, now);
        on_handshake_complete(*p, now);
        // Sends what is staged, or a keepalive to confirm the session to the responder.
        send_keepalive(*p, now, out);
    }
}

namespace {
/// The length of the IP packet at the start of `plain` and its source address; false when it
/// is not a well-formed IPv4/IPv6 packet that fits.
bool inner_packet(ByteView plain, std::size_t& length, bool& v6, const std::uint8_t*& src) {
    if (plain.size() >= 20 && plain[0] >> 4 == 4) {
        length = std::size_t(plain[2]) << 8 | plain[3];
        v6 = false;
        src = plain.data() + 12;
        return length >= 20 && length <= plain.size();
    }
    if (plain.size() >= 40 && plain[0] >> 4 == 6) {
        length = 40 + (std::size_t(plain[4]) << 8 | plain[5]);
        v6 = true;
        src = plain.data() + 8;
        return length <= plain.size();
    }
    return false;
}
} // namespace

const Keypair* Device::Impl::receiving_keypair(ByteView d, Now now) const {
    if (d.size() < transport::MIN_SIZE)
        return nullptr;
    std::uint32_t receiver = load_le32(d.data() + transport::RECEIVER);
    const auto* e = index.find_index(receiver);
    const Peer* p = e && !e->handshake ? by_id(e->peer) : nullptr;
    const Keypair* kp = p ? p->keypairs.find(receiver) : nullptr;
    if (!kp || !kp->can_receive(now.monotonic) ||
        !kp->replay.may_accept(load_le64(d.data() + transport::COUNTER)))
        return nullptr;
    return kp;
}

OpenedAhead Device::Impl::open_ahead(MutableByteView d, Now now) const {
    if (!up || message_type(d) != MESSAGE_TRANSPORT_DATA)
        return {};
    const Keypair* kp = receiving_keypair(d, now);
    if (!kp)
        return {};
    // In place: the plaintext lands where the ciphertext was, after the header. The context
    // is used in the calling thread's slot (crypto::set_aead_thread_slot).
    bool authentic = open_transport(kp->receiving, d, d.data() + transport::HEADER_SIZE);
    return {authentic ? OpenedAhead::Result::opened : OpenedAhead::Result::failed, kp->serial};
}

void Device::Impl::receive_transport(ByteView d, const Endpoint& from, Now now, Output& out,
                                     const std::optional<LocalSource>& local,
                                     const OpenedAhead& ahead) {
    std::uint32_t receiver = load_le32(d.data() + transport::RECEIVER);
    std::uint64_t counter = load_le64(d.data() + transport::COUNTER);
    const auto* e = index.find_index(receiver);
    Peer* p = e && !e->handshake ? by_id(e->peer) : nullptr;
    Keypair* kp = p ? p->keypairs.find(receiver) : nullptr;
    if (!kp || !kp->can_receive(now.monotonic) || !kp->replay.may_accept(counter)) {
        if (kp && !kp->can_receive(now.monotonic))
            kp->receiving_valid = false;
        ++counters.transport_rejected;
        return;
    }
    // Opened ahead: only by this very keypair, and only if it authenticated.
    if (ahead.result != OpenedAhead::Result::untouched &&
        (ahead.result == OpenedAhead::Result::failed || ahead.keypair != kp->serial)) {
        ++counters.transport_rejected;
        return;
    }
    std::size_t plain_len = d.size() - transport::MIN_SIZE;
    Bytes& plain = out.add_tun_packet(plain_len);
    bool authentic = true;
    if (ahead.result == OpenedAhead::Result::opened)
        std::memcpy(plain.data(), d.data() + transport::HEADER_SIZE, plain_len);
    else
        authentic = open_transport(kp->receiving, d, plain.data());
    if (!authentic || !kp->replay.accept(counter)) {
        out.drop_last_tun_packet();
        ++counters.transport_rejected;
        return;
    }
    // Authenticated and fresh: from here on the packet counts.
    update_endpoint(*p, from, local);
    on_any_authenticated_packet_received(*p);
    on_any_authenticated_packet_traversal(*p, now);
    std::uint32_t dropped = 0;
    if (p->keypairs.received_with(kp, dropped)) {
        index.release(dropped);
        on_handshake_complete(*p, now);
        send_staged(*p, now, out);
    }
    // As initiator, start a new handshake shortly before the session would be rejected.
    const Keypair* cur = p->keypairs.current.get();
    if (!p->timers.sent_lastminute_handshake && cur && cur->sending_valid && cur->initiator &&
        now.monotonic >= cur->birth + (REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT)) {
        p->timers.sent_lastminute_handshake = true;
        send_handshake_initiation(*p, false, now, out);
    }
    // send_staged() above may have appended datagrams, never TUN packets, so `plain` is still
    // the last TUN packet.
    if (plain_len == 0) {
        out.drop_last_tun_packet(); // a keepalive
        p->rx_bytes += d.size();
        return;
    }
    on_data_received(*p, now);
    std::size_t length = 0;
    bool v6 = false;
    const std::uint8_t* src = nullptr;
    std::optional<PeerId> owner;
    if (inner_packet(ByteView(plain.data(), plain_len), length, v6, src))
        owner = v6 ? allowed_ips.lookup_v6(src) : allowed_ips.lookup_v4(src);
    if (!owner || *owner != p->id) {
        out.drop_last_tun_packet();
        ++counters.source_not_allowed;
        ++p->source_not_allowed;
        return;
    }
    plain.resize(length);
    p->rx_bytes += d.size();
}

} // namespace wgx::protocol
