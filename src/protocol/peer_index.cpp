#include "protocol/peer_index.hpp"

namespace wgx::protocol {

std::optional<PeerId> PeerIndex::find_key(const crypto::Key& public_key) const {
    auto it = by_key_.find(public_key);
    if (it == by_key_.end())
        return std::nullopt;
    return it->second;
}

std::uint32_t PeerIndex::allocate(Entry entry, crypto::Random& random) {
    for (;;) {
        std::uint32_t index = random.u32();
        if (index != 0 && by_index_.emplace(index, entry).second)
            return index;
    }
}

void PeerIndex::relabel(std::uint32_t index, Entry entry) {
    if (auto it = by_index_.find(index); it != by_index_.end())
        it->second = entry;
}

void PeerIndex::release(std::uint32_t index) {
    if (index != 0)
        by_index_.erase(index);
}

const PeerIndex::Entry* PeerIndex::find_index(std::uint32_t index) const {
    auto it = by_index_.find(index);
    return it == by_index_.end() ? nullptr : &it->second;
}

void PeerIndex::clear() {
    by_key_.clear();
    by_index_.clear();
}

} // namespace wgx::protocol
