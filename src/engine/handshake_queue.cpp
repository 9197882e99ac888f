#include "engine/handshake_queue.hpp"

#include <algorithm>
#include <cstring>

namespace wgx::engine {

namespace {

// MAC2 is the last field of both handshake messages; all zeros when the sender has no cookie.
bool carries_mac2(ByteView message) {
    if (message.size() < protocol::MAC_SIZE)
        return false;
    ByteView mac2 = message.last(protocol::MAC_SIZE);
    return std::any_of(mac2.begin(), mac2.end(), [](std::uint8_t b) { return b != 0; });
}

} // namespace

bool HandshakeQueue::push_into(Ring& ring, ByteView message, const Endpoint& from,
                               const std::optional<protocol::LocalSource>& local) {
    if (ring.size == ring.slots.size())
        return false;
    Entry& e = ring.slots[(ring.head + ring.size) % ring.slots.size()];
    std::memcpy(e.bytes.data(), message.data(), message.size());
    e.size = message.size();
    e.from = from;
    e.local = local;
    ++ring.size;
    return true;
}

bool HandshakeQueue::push(ByteView message, const Endpoint& from,
                          const std::optional<protocol::LocalSource>& local) {
    bool ok = message.size() <= MAX_MESSAGE &&
              push_into(carries_mac2(message) ? with_mac2_ : plain_, message, from, local);
    if (!ok)
        ++dropped_;
    return ok;
}

const HandshakeQueue::Entry* HandshakeQueue::front() const {
    for (const Ring* ring : {&with_mac2_, &plain_})
        if (ring->size)
            return &ring->slots[ring->head];
    return nullptr;
}

void HandshakeQueue::pop() {
    for (Ring* ring : {&with_mac2_, &plain_})
        if (ring->size) {
            ring->head = (ring->head + 1) % ring->slots.size();
            --ring->size;
            return;
        }
}

} // namespace wgx::engine
