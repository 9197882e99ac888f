#include "protocol/allowed_ips.hpp"

#include <cstring>

namespace wgx::protocol {

namespace {

std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

/// The masked prefix's table key and exact-match key bytes, both ways.
std::uint32_t v4_key_of(const std::array<std::uint8_t, 16>& b) {
    return std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3];
}
Uint128 v6_key_of(const std::array<std::uint8_t, 16>& b) {
    Uint128 k = 0;
    for (std::uint8_t byte : b)
        k = k << 8 | byte;
    return k;
}
std::array<std::uint8_t, 16> bytes_of(std::uint32_t k) {
    return {std::uint8_t(k >> 24), std::uint8_t(k >> 16), std::uint8_t(k >> 8), std::uint8_t(k)};
}
std::array<std::uint8_t, 16> bytes_of(Uint128 k) {
    std::array<std::uint8_t, 16> b{};
    for (int i = 15; i >= 0; --i, k >>= 8)
        b[std::size_t(i)] = std::uint8_t(k);
    return b;
}

} // namespace

std::size_t AllowedIps::PrefixKeyHash::operator()(const PrefixKey& k) const {
    // Two 64-bit halves folded with multiply-xorshift rounds: cheap and well spread.
    std::uint64_t h = load64(k.bytes.data()) * 0x9e3779b97f4a7c15ull;
    h ^= (load64(k.bytes.data() + 8) + (std::uint64_t(k.cidr) << 1 | k.v6)) * 0xc2b2ae3d27d4eb4full;
    h ^= h >> 29;
    h *= 0x94d049bb133111ebull;
    return std::size_t(h ^ (h >> 32));
}

AllowedIps::~AllowedIps() = default;

void AllowedIps::clear() {
    owners_.clear();
    lists_.clear();
    v4_.clear();
    v6_.clear();
}

void AllowedIps::append_to_peer(Entry& e, PeerId peer) {
    e.second.peer = peer;
    PeerList& l = lists_[peer];
    e.second.prev = l.tail;
    e.second.next = nullptr;
    (l.tail ? l.tail->second.next : l.head) = &e;
    l.tail = &e;
}

void AllowedIps::unlink_from_peer(Entry& e) {
    auto it = lists_.find(e.second.peer);
    PeerList& l = it->second;
    Owner& o = e.second;
    (o.prev ? o.prev->second.next : l.head) = o.next;
    (o.next ? o.next->second.prev : l.tail) = o.prev;
    o.prev = o.next = nullptr;
    if (!l.head)
        lists_.erase(it);
}

bool AllowedIps::insert(const IpPrefix& prefix, PeerId peer) {
    const IpAddress& a = prefix.address;
    if ((!a.is_v4() && !a.is_v6()) || prefix.cidr > a.max_prefix() ||
        peer == PrefixTable<std::uint32_t>::NONE)
        return false;
    PrefixKey k{a.masked(prefix.cidr).bytes, prefix.cidr, a.is_v6()};
    auto [it, fresh] = owners_.try_emplace(k);
    if (!fresh)
        unlink_from_peer(*it); // it moves to `peer`, at the end of its list (even if it had it)
    append_to_peer(*it, peer);
    if (k.v6)
        v6_.set(v6_key_of(k.bytes), k.cidr, peer);
    else
        v4_.set(v4_key_of(k.bytes), k.cidr, peer);
    return true;
}

void AllowedIps::erase_entry(Entry& e) {
    PrefixKey k = e.first;
    owners_.erase(k);
    // Slots the prefix covered fall back to the longest shorter prefix still in the index.
    auto exact = [&](auto key, unsigned len) {
        auto it = owners_.find(PrefixKey{bytes_of(key), std::uint8_t(len), k.v6});
        return it == owners_.end() ? PrefixTable<std::uint32_t>::NONE : it->second.peer;
    };
    if (k.v6)
        v6_.erase(v6_key_of(k.bytes), k.cidr, exact);
    else
        v4_.erase(v4_key_of(k.bytes), k.cidr, exact);
}

bool AllowedIps::remove(const IpPrefix& prefix, PeerId peer) {
    const IpAddress& a = prefix.address;
    if ((!a.is_v4() && !a.is_v6()) || prefix.cidr > a.max_prefix())
        return false;
    auto it = owners_.find(PrefixKey{a.masked(prefix.cidr).bytes, prefix.cidr, a.is_v6()});
    if (it == owners_.end() || it->second.peer != peer)
        return false;
    unlink_from_peer(*it);
    erase_entry(*it);
    return true;
}

void AllowedIps::remove_peer(PeerId peer) {
    auto it = lists_.find(peer);
    if (it == lists_.end())
        return;
    Entry* e = it->second.head;
    lists_.erase(it);
    while (e) {
        Entry* next = e->second.next;
        erase_entry(*e);
        e = next;
    }
}

std::optional<PeerId> AllowedIps::lookup(const IpAddress& a) const {
    if (a.is_v4())
        return lookup_v4(a.bytes.data());
    if (a.is_v6())
        return lookup_v6(a.bytes.data());
    return std::nullopt;
}

std::vector<IpPrefix> AllowedIps::prefixes_of(PeerId peer) const {
    std::vector<IpPrefix> out;
    auto it = lists_.find(peer);
    if (it == lists_.end())
        return out;
    for (const Entry* e = it->second.head; e; e = e->second.next) {
        const PrefixKey& k = e->first;
        IpPrefix p;
        p.address = k.v6 ? IpAddress::v6(k.bytes.data()) : IpAddress::v4(k.bytes.data());
        p.cidr = k.cidr;
        out.push_back(p);
    }
    return out;
}

} // namespace wgx::protocol
