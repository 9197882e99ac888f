#pragma once
// Cryptokey routing (whitepaper §2): maps prefixes to peers. Longest-prefix match picks the peer
// for an outgoing packet and checks the source of an incoming one; each peer's prefixes are also
// kept in insertion order (what `wg showconf` prints).
//
// Two views of the same set: an exact-match index (prefix → owner, threaded into per-peer
// insertion-ordered lists) that answers configuration questions, and one PrefixTable per address
// family that answers lookups on the data path.
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include <endian.h>

#include "base/ip.hpp"
#include "protocol/prefix_table.hpp"

namespace wgx::protocol {

/// A peer as the trie knows it: an opaque small integer chosen by the device (0xffffffff is
/// reserved).
using PeerId = std::uint32_t;

class AllowedIps {
  public:
    AllowedIps() = default;
    ~AllowedIps();
    AllowedIps(const AllowedIps&) = delete;
    AllowedIps& operator=(const AllowedIps&) = delete;

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
    std::optional<PeerId> lookup_v4(const std::uint8_t* address) const {
        return found(v4_.lookup(key_v4(address)));
    }
    std::optional<PeerId> lookup_v6(const std::uint8_t* address) const {
        return found(v6_.lookup(key_v6(address)));
    }

    /// The peer's prefixes in insertion order.
    std::vector<IpPrefix> prefixes_of(PeerId peer) const;
    std::size_t size() const { return owners_.size(); }

  private:
    /// A masked prefix as the exact-match index keys it.
    struct PrefixKey {
        std::array<std::uint8_t, 16> bytes{};
        std::uint8_t cidr = 0;
        bool v6 = false;
        bool operator==(const PrefixKey&) const = default;
    };
    struct PrefixKeyHash {
        std::size_t operator()(const PrefixKey& k) const;
    };
    struct Owner;
    using Entry = std::pair<const PrefixKey, Owner>;
    /// Who holds a prefix, and its neighbours in that peer's insertion order.
    struct Owner {
        PeerId peer = 0;
        Entry* prev = nullptr;
        Entry* next = nullptr;
    };
    struct PeerList {
        Entry* head = nullptr;
        Entry* tail = nullptr;
    };

    static std::uint32_t key_v4(const std::uint8_t* a) {
        return std::uint32_t(a[0]) << 24 | std::uint32_t(a[1]) << 16 | std::uint32_t(a[2]) << 8 |
               a[3];
    }
    static Uint128 key_v6(const std::uint8_t* a) {
        std::uint64_t hi, lo;
        std::memcpy(&hi, a, 8);
        std::memcpy(&lo, a + 8, 8);
        return Uint128(be64toh(hi)) << 64 | be64toh(lo);
    }
    static std::optional<PeerId> found(std::uint32_t v) {
        return v == PrefixTable<std::uint32_t>::NONE ? std::nullopt : std::optional<PeerId>(v);
    }
    void append_to_peer(Entry& e, PeerId peer);
    void unlink_from_peer(Entry& e);
    /// Drops `e` from the index and the lookup table (already unlinked from its peer's list).
    void erase_entry(Entry& e);

    std::unordered_map<PrefixKey, Owner, PrefixKeyHash> owners_;
    std::unordered_map<PeerId, PeerList> lists_;
    PrefixTable<std::uint32_t> v4_;
    PrefixTable<Uint128> v6_;
};

} // namespace wgx::protocol
