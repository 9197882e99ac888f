#include "engine/handshake_queue.hpp"

#include <cstring>

namespace wgx::engine {

bool HandshakeQueue::push(ByteView message, const Endpoint& from,
                          const std::optional<protocol::LocalSource>& local) {
    if (size_ == slots_.size() || message.size() > MAX_MESSAGE) {
        ++dropped_;
        return false;
    }
    Entry& e = slots_[(head_ + size_) % slots_.size()];
    std::memcpy(e.bytes.data(), message.data(), message.size());
    e.size = message.size();
    e.from = from;
    e.local = local;
    ++size_;
    return true;
}

void HandshakeQueue::pop() {
    if (size_ == 0)
        return;
    head_ = (head_ + 1) % slots_.size();
    --size_;
}

} // namespace wgx::engine
