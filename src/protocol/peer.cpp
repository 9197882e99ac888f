#include "protocol/peer.hpp"

#include <algorithm>

namespace wgx::protocol {

bool StagedQueue::push(ByteView packet) {
    bool dropped = false;
    if (size_ == capacity_) {
        pop(1);
        dropped = true;
    }
    std::size_t slot = (head_ + size_) % capacity_;
    if (slots_.size() <= slot)
        slots_.resize(std::min(capacity_, std::max<std::size_t>(slot + 1, slots_.size() * 2)));
    slots_[slot].assign(packet.begin(), packet.end());
    ++size_;
    return dropped;
}

void StagedQueue::pop(std::size_t n) {
    n = std::min(n, size_);
    head_ = (head_ + n) % capacity_;
    size_ -= n;
}

} // namespace wgx::protocol
