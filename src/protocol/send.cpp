// Sending: TUN packets to transport messages, keepalives, handshake initiations and responses.
#include <cstring>

#include "protocol/device_impl.hpp"

namespace wgx::protocol {

void Device::Impl::send_datagram(Peer& p, ByteView bytes, Output& out) {
    if (!p.endpoint)
        return;
    Bytes& b = out.add_datagram(*p.endpoint, p.local_source, bytes.size());
    std::memcpy(b.data(), bytes.data(), bytes.size());
    p.tx_bytes += bytes.size();
}

void Device::Impl::send_staged(Peer& p, Now now, Output& out) {
    if (p.staged.empty())
        return;
    Keypair* kp = p.keypairs.current.get();
    bool usable = kp && kp->sending_valid;
    if (usable && (now.monotonic >= kp->birth + REJECT_AFTER_TIME ||
                   REJECT_AFTER_MESSAGES - kp->send_counter < p.staged.size())) {
        kp->sending_valid = false;
        usable = false;
    }
    if (!usable || !p.endpoint) {
        // Keep them staged and get a session.
        send_handshake_initiation(p, false, now, out);
        return;
    }
    on_any_authenticated_packet_traversal(p, now);
    on_any_authenticated_packet_sent(p);
    bool data_sent = false;
    for (std::size_t i = 0; i < p.staged.size(); ++i) {
        seal_to_peer(p, *kp, p.staged.at(i), out);
        data_sent = data_sent || !p.staged.at(i).empty();
    }
    p.staged.clear();
    if (data_sent)
        on_data_sent(p, now);
    keep_key_fresh_after_send(p, now, out);
}

void Device::Impl::seal_to_peer(Peer& p, Keypair& kp, ByteView plain, Output& out) {
    std::size_t padded = padded_length(plain.size(), mtu);
    Bytes& b = out.add_datagram(*p.endpoint, p.local_source, transport_size(padded));
    if (out.deferred_sealing()) {
        // The engine's crypto workers seal it (Output::seal_deferred), off the protocol's thread.
        seal_transport(nullptr, kp.remote_index, kp.send_counter++, plain, padded, b.data());
        out.defer_seal_of_last(kp.sending);
    } else {
        seal_transport(kp.sending.get(), kp.remote_index, kp.send_counter++, plain, padded,
                       b.data());
    }
    p.tx_bytes += b.size();
}

void Device::Impl::keep_key_fresh_after_send(Peer& p, Now now, Output& out) {
    // Rekey after REKEY_AFTER_MESSAGES, or as initiator after REKEY_AFTER_TIME (§6.2).
    const Keypair* kp = p.keypairs.current.get();
    if (kp && kp->sending_valid &&
        (kp->send_counter > REKEY_AFTER_MESSAGES ||
         (kp->initiator && now.monotonic >= kp->birth + REKEY_AFTER_TIME)))
        send_handshake_initiation(p, false, now, out);
}

void Device::Impl::send_keepalive(Peer& p, Now now, Output& out) {
    if (p.staged.empty())
        p.staged.push({});
    send_staged(p, now, out);
}

void Device::Impl::send_handshake_initiation(Peer& p, bool is_retry, Now now, Output& out) {
    if (!is_retry)
        p.timers.handshake_attempts = 0;
    // At most one initiation per REKEY_TIMEOUT.
    if (p.last_sent_handshake && now.monotonic < *p.last_sent_handshake + REKEY_TIMEOUT)
        return;
    p.last_sent_handshake = now.monotonic;
    release_handshake_index(p);
    std::uint32_t local = index.allocate(PeerIndex::Entry{p.id, true}, random);
    std::uint8_t msg[initiation::SIZE];
    if (!create_initiation(p.handshake, identity, random, now.wall, local, msg)) {
        index.release(local);
        return;
    }
    p.cookie.add_macs(msg, now.monotonic);
    on_any_authenticated_packet_traversal(p, now);
    on_any_authenticated_packet_sent(p);
    send_datagram(p, msg, out);
    on_handshake_initiated(p, now);
}

void Device::Impl::send_handshake_response(Peer& p, Now now, Output& out) {
    p.last_sent_handshake = now.monotonic;
    release_handshake_index(p);
    std::uint32_t local = index.allocate(PeerIndex::Entry{p.id, true}, random);
    std::uint8_t msg[response::SIZE];
    if (!create_response(p.handshake, random, local, msg)) {
        index.release(local);
        return;
    }
    p.cookie.add_macs(msg, now.monotonic);
    auto keys = begin_session(p.handshake);
    if (!keys) {
        index.release(local);
        return;
    }
    install_keypair(p, *keys, now.monotonic);
    on_session_derived(p, now);
    on_any_authenticated_packet_traversal(p, now);
    on_any_authenticated_packet_sent(p);
    send_datagram(p, msg, out);
}

namespace {
/// The destination address of an IP packet; false when it is not IPv4/IPv6.
bool destination_of(ByteView pkt, bool& v6, const std::uint8_t*& dst) {
    if (pkt.size() >= 20 && pkt[0] >> 4 == 4) {
        v6 = false;
        dst = pkt.data() + 16;
        return true;
    }
    if (pkt.size() >= 40 && pkt[0] >> 4 == 6) {
        v6 = true;
        dst = pkt.data() + 24;
        return true;
    }
    return false;
}
} // namespace

void Device::Impl::on_tun_packet(ByteView packet, Now now, Output& out) {
    if (!up)
        return;
    bool v6 = false;
    const std::uint8_t* dst = nullptr;
    std::optional<PeerId> id;
    if (destination_of(packet, v6, dst))
        id = v6 ? allowed_ips.lookup_v6(dst) : allowed_ips.lookup_v4(dst);
    Peer* p = id ? by_id(*id) : nullptr;
    if (!p || !p->endpoint) {
        ++counters.no_route;
        return;
    }
    Keypair* kp = p->keypairs.current.get();
    if (p->staged.empty() && kp && kp->can_send(now.monotonic)) {
        // The common case: a session exists and nothing waits, so no copy into the queue.
        on_any_authenticated_packet_traversal(*p, now);
        on_any_authenticated_packet_sent(*p);
        seal_to_peer(*p, *kp, packet, out);
        on_data_sent(*p, now);
        keep_key_fresh_after_send(*p, now, out);
        return;
    }
    if (p->staged.push(packet))
        ++counters.staged_dropped;
    send_staged(*p, now, out);
}

} // namespace wgx::protocol
