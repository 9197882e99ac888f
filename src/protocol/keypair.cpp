#include "protocol/keypair.hpp"

#include <cstring>

#include "protocol/device.hpp"

namespace wgx::protocol {

Keypair::Keypair(const SessionKeys& keys, MonoTime now)
    : sending(std::make_shared<crypto::ChaChaPolyContext>(keys.send, crypto::AeadUse::seal)),
      receiving(keys.receive, crypto::AeadUse::open), initiator(keys.initiator),
      local_index(keys.local_index), remote_index(keys.remote_index), birth(now) {}

bool Keypair::can_send(MonoTime now) const {
    return sending_valid && now < birth + REJECT_AFTER_TIME && send_counter < REJECT_AFTER_MESSAGES;
}

bool Keypair::can_receive(MonoTime now) const {
    return receiving_valid && now < birth + REJECT_AFTER_TIME &&
           replay.next() < REJECT_AFTER_MESSAGES;
}

namespace {
std::uint32_t index_of(const std::unique_ptr<Keypair>& k) {
    return k ? k->local_index : 0;
}
} // namespace

void Keypairs::add(std::unique_ptr<Keypair> fresh, std::uint32_t dropped[3]) {
    dropped[0] = dropped[1] = dropped[2] = 0;
    if (fresh->initiator) {
        // We have the responder's confirmation: the new keypair is usable at once. A pending
        // `next` (from a crossing handshake) is kept as previous rather than current.
        if (next) {
            dropped[0] = index_of(previous);
            dropped[1] = index_of(current);
            previous = std::move(next);
            current.reset();
        } else {
            dropped[0] = index_of(previous);
            previous = std::move(current);
        }
        current = std::move(fresh);
    } else {
        // As responder we wait for the initiator's first data packet before using it.
        dropped[0] = index_of(next);
        dropped[1] = index_of(previous);
        next = std::move(fresh);
        previous.reset();
    }
}

bool Keypairs::received_with(const Keypair* kp, std::uint32_t& dropped) {
    dropped = 0;
    if (!next || next.get() != kp)
        return false;
    dropped = index_of(previous);
    previous = std::move(current);
    current = std::move(next);
    return true;
}

Keypair* Keypairs::find(std::uint32_t index) {
    for (auto* k : {&current, &previous, &next})
        if (*k && (*k)->local_index == index)
            return k->get();
    return nullptr;
}

const Keypair* Keypairs::find(std::uint32_t index) const {
    for (auto* k : {&current, &previous, &next})
        if (*k && (*k)->local_index == index)
            return k->get();
    return nullptr;
}

void Keypairs::expire_current() {
    if (next)
        next->sending_valid = false;
    if (current)
        current->sending_valid = false;
}

void Keypairs::clear(std::uint32_t dropped[3]) {
    dropped[0] = index_of(current);
    dropped[1] = index_of(previous);
    dropped[2] = index_of(next);
    current.reset();
    previous.reset();
    next.reset();
}

std::size_t padded_length(std::size_t plain_len, unsigned mtu) {
    auto round_up = [](std::size_t n) {
        return (n + MESSAGE_PADDING_MULTIPLE - 1) / MESSAGE_PADDING_MULTIPLE *
               MESSAGE_PADDING_MULTIPLE;
    };
    if (mtu == 0)
        return round_up(plain_len);
    // A packet larger than the MTU (the stack may hand us one) pads its last MTU-sized unit.
    std::size_t last = plain_len > mtu ? plain_len % mtu : plain_len;
    std::size_t padded_last = std::min<std::size_t>(mtu, round_up(last));
    return plain_len + (padded_last > last ? padded_last - last : 0);
}

void seal_transport(crypto::ChaChaPolyContext* ctx, std::uint32_t receiver_index,
                    std::uint64_t counter, ByteView plaintext, std::size_t padded_len,
                    std::uint8_t* out) {
    write_header(out, MESSAGE_TRANSPORT_DATA);
    store_le32(out + transport::RECEIVER, receiver_index);
    store_le64(out + transport::COUNTER, counter);
    std::uint8_t* body = out + transport::HEADER_SIZE;
    if (!plaintext.empty())
        std::memcpy(body, plaintext.data(), plaintext.size());
    std::memset(body + plaintext.size(), 0, padded_len - plaintext.size());
    if (ctx)
        ctx->seal(counter, ByteView(body, padded_len), {}, body);
}

void seal_transport_in_place(crypto::ChaChaPolyContext& ctx, MutableByteView message) {
    std::uint64_t counter = load_le64(message.data() + transport::COUNTER);
    std::uint8_t* body = message.data() + transport::HEADER_SIZE;
    std::size_t padded_len = message.size() - transport::HEADER_SIZE - TAG_SIZE;
    ctx.seal(counter, ByteView(body, padded_len), {}, body);
}

bool open_transport(const crypto::ChaChaPolyContext& ctx, ByteView message, std::uint8_t* out) {
    std::uint64_t counter = load_le64(message.data() + transport::COUNTER);
    return ctx.open(counter, message.subspan(transport::HEADER_SIZE), {}, out);
}

void Output::seal_deferred() {
    for (Datagram& d : datagrams()) {
        if (d.unsealed) {
            seal_transport_in_place(*d.unsealed, d.bytes);
            d.unsealed = nullptr;
        }
    }
}

} // namespace wgx::protocol
