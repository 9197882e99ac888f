#pragma once
// The binary path-compressed trie that protocol::AllowedIps used before its multibit rewrite,
// kept only as the baseline for tools/bench micro (same run, same prefixes, a ratio).
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/ip.hpp"

namespace wgx::bench {

/// A peer as the trie knows it: an opaque small integer chosen by the device.
using PeerId = std::uint32_t;

class BinaryTrie {
  public:
    BinaryTrie() = default;
    ~BinaryTrie();
    BinaryTrie(const BinaryTrie&) = delete;
    BinaryTrie& operator=(const BinaryTrie&) = delete;

    /// Maps `prefix` (host bits masked) to `peer`; a prefix held by another peer moves to this
    /// one and goes to the end of this peer's list. False for an invalid prefix.
    bool insert(const IpPrefix& prefix, PeerId peer);
    /// Removes `prefix` (host bits masked) if `peer` holds it. True when something was removed.
    bool remove(const IpPrefix& prefix, PeerId peer);
    /// Removes every prefix of `peer`.
    void remove_peer(PeerId peer);
    void clear();

    /// The peer whose longest prefix contains `address`.
    std::optional<PeerId> lookup(const IpAddress& address) const;
    /// Same for a raw 4- or 16-byte address in network order (the data path).
    std::optional<PeerId> lookup_v4(const std::uint8_t* address) const;
    std::optional<PeerId> lookup_v6(const std::uint8_t* address) const;

    /// The peer's prefixes in insertion order.
    std::vector<IpPrefix> prefixes_of(PeerId peer) const;
    std::size_t size() const { return count_; }

  private:
    struct Node;
    struct PeerList {
        Node* head = nullptr;
        Node* tail = nullptr;
    };

    Node*& root(bool v6) { return v6 ? root6_ : root4_; }
    std::optional<PeerId> lookup_raw(const Node* root, const std::uint8_t* address,
                                     unsigned bits) const;
    Node* find_exact(const IpPrefix& masked) const;
    void unlink_from_peer(Node* n);
    void append_to_peer(Node* n, PeerId peer);
    void release(Node* n);
    static void destroy(Node* n);

    Node* root4_ = nullptr;
    Node* root6_ = nullptr;
    std::size_t count_ = 0;
    std::unordered_map<PeerId, PeerList> lists_;
};

} // namespace wgx::bench
