#pragma once
// O(1) peer lookup by public key (handshake initiations) and by our 32-bit receiver index
// (responses, cookie replies, transport data). Indices are random and unique.
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "crypto/key.hpp"
#include "crypto/random.hpp"
#include "protocol/allowed_ips.hpp"

namespace wgx::protocol {

class PeerIndex {
  public:
    /// What a receiver index names: a peer's pending handshake or one of its keypairs.
    struct Entry {
        PeerId peer = 0;
        bool handshake = false;
    };

    void add_key(const crypto::Key& public_key, PeerId peer) { by_key_[public_key] = peer; }
    void remove_key(const crypto::Key& public_key) { by_key_.erase(public_key); }
    std::optional<PeerId> find_key(const crypto::Key& public_key) const;

    /// A fresh random nonzero index not in use, registered for `entry`.
    std::uint32_t allocate(Entry entry, crypto::Random& random);
    /// Re-labels an index (a handshake's index becomes its keypair's).
    void relabel(std::uint32_t index, Entry entry);
    /// Frees an index (0 is ignored).
    void release(std::uint32_t index);
    const Entry* find_index(std::uint32_t index) const;
    std::size_t index_count() const { return by_index_.size(); }
    void clear();

  private:
    std::unordered_map<crypto::Key, PeerId, crypto::PublicKeyHash> by_key_;
    std::unordered_map<std::uint32_t, Entry> by_index_;
};

} // namespace wgx::protocol
