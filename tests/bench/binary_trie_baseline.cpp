#include "bench/binary_trie_baseline.hpp"

#include <array>
#include <cstring>

namespace wgx::bench {

struct BinaryTrie::Node {
    std::array<std::uint8_t, 16> key{}; // the prefix, host bits zero
    std::uint8_t cidr = 0;
    bool v6 = false;
    bool has_peer = false;
    PeerId peer = 0;
    Node* parent = nullptr;
    Node* child[2] = {nullptr, nullptr};
    // The owning peer's insertion-ordered list.
    Node* prev = nullptr;
    Node* next = nullptr;
};

namespace {

unsigned bit_at(const std::uint8_t* a, unsigned i) {
    return (a[i / 8] >> (7 - i % 8)) & 1;
}

/// Number of leading bits (up to `limit`) in which a and b agree.
unsigned common_bits(const std::uint8_t* a, const std::uint8_t* b, unsigned limit) {
    unsigned n = 0;
    while (n + 8 <= limit && a[n / 8] == b[n / 8])
        n += 8;
    while (n < limit && bit_at(a, n) == bit_at(b, n))
        ++n;
    return n;
}

/// True when the first `cidr` bits of a and b agree.
bool prefix_matches(const std::uint8_t* a, const std::uint8_t* b, unsigned cidr) {
    unsigned whole = cidr / 8, rest = cidr % 8;
    if (std::memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    std::uint8_t mask = std::uint8_t(0xff00u >> rest);
    return ((a[whole] ^ b[whole]) & mask) == 0;
}

} // namespace

BinaryTrie::~BinaryTrie() {
    clear();
}

void BinaryTrie::destroy(Node* n) {
    if (!n)
        return;
    destroy(n->child[0]);
    destroy(n->child[1]);
    delete n;
}

void BinaryTrie::clear() {
    destroy(root4_);
    destroy(root6_);
    root4_ = root6_ = nullptr;
    lists_.clear();
    count_ = 0;
}

void BinaryTrie::append_to_peer(Node* n, PeerId peer) {
    n->has_peer = true;
    n->peer = peer;
    PeerList& l = lists_[peer];
    n->prev = l.tail;
    n->next = nullptr;
    (l.tail ? l.tail->next : l.head) = n;
    l.tail = n;
}

void BinaryTrie::unlink_from_peer(Node* n) {
    auto it = lists_.find(n->peer);
    PeerList& l = it->second;
    (n->prev ? n->prev->next : l.head) = n->next;
    (n->next ? n->next->prev : l.tail) = n->prev;
    n->prev = n->next = nullptr;
    n->has_peer = false;
    if (!l.head)
        lists_.erase(it);
}

bool BinaryTrie::insert(const IpPrefix& prefix, PeerId peer) {
    const IpAddress& a = prefix.address;
    if ((!a.is_v4() && !a.is_v6()) || prefix.cidr > a.max_prefix())
        return false;
    IpPrefix p = prefix.masked();
    const std::uint8_t* key = p.address.bytes.data();
    unsigned cidr = p.cidr;
    bool v6 = a.is_v6();

    auto make = [&](unsigned bits, bool with_peer) {
        Node* n = new Node;
        std::memcpy(n->key.data(), key, 16);
        IpAddress m = p.address.masked(bits);
        n->key = m.bytes;
        n->cidr = std::uint8_t(bits);
        n->v6 = v6;
        if (with_peer) {
            append_to_peer(n, peer);
            ++count_;
        }
        return n;
    };

    Node** link = &root(v6);
    Node* parent = nullptr;
    while (Node* n = *link) {
        unsigned common = common_bits(n->key.data(), key, std::min<unsigned>(n->cidr, cidr));
        if (common == n->cidr && n->cidr == cidr) {
            // Exact prefix: it moves to `peer` (to the end of its list even if it had it).
            if (n->has_peer)
                unlink_from_peer(n);
            else
                ++count_;
            append_to_peer(n, peer);
            return true;
        }
        if (common == n->cidr) {
            parent = n;
            link = &n->child[bit_at(key, n->cidr)];
            continue;
        }
        Node* fresh = make(cidr, true);
        if (common == cidr) {
            // The new prefix contains n: it becomes n's parent.
            fresh->child[bit_at(n->key.data(), cidr)] = n;
            n->parent = fresh;
            fresh->parent = parent;
            *link = fresh;
            return true;
        }
        // They diverge at bit `common`: a peerless branch node holds both.
        Node* branch = make(common, false);
        branch->child[bit_at(key, common)] = fresh;
        branch->child[bit_at(n->key.data(), common)] = n;
        fresh->parent = branch;
        n->parent = branch;
        branch->parent = parent;
        *link = branch;
        return true;
    }
    Node* fresh = make(cidr, true);
    fresh->parent = parent;
    *link = fresh;
    return true;
}

BinaryTrie::Node* BinaryTrie::find_exact(const IpPrefix& p) const {
    const std::uint8_t* key = p.address.bytes.data();
    Node* n = p.address.is_v6() ? root6_ : root4_;
    while (n && n->cidr <= p.cidr && prefix_matches(n->key.data(), key, n->cidr)) {
        if (n->cidr == p.cidr)
            return n;
        n = n->child[bit_at(key, n->cidr)];
    }
    return nullptr;
}

void BinaryTrie::release(Node* n) {
    // A node without a peer stays only while it branches (two children).
    while (n && !n->has_peer && !(n->child[0] && n->child[1])) {
        Node* only = n->child[0] ? n->child[0] : n->child[1];
        Node* parent = n->parent;
        Node*& link = parent ? parent->child[parent->child[1] == n] : root(n->v6);
        link = only;
        if (only)
            only->parent = parent;
        delete n;
        n = parent;
    }
}

bool BinaryTrie::remove(const IpPrefix& prefix, PeerId peer) {
    const IpAddress& a = prefix.address;
    if ((!a.is_v4() && !a.is_v6()) || prefix.cidr > a.max_prefix())
        return false;
    Node* n = find_exact(prefix.masked());
    if (!n || !n->has_peer || n->peer != peer)
        return false;
    unlink_from_peer(n);
    --count_;
    release(n);
    return true;
}

void BinaryTrie::remove_peer(PeerId peer) {
    auto it = lists_.find(peer);
    if (it == lists_.end())
        return;
    while (it != lists_.end()) {
        Node* n = it->second.head;
        unlink_from_peer(n); // erases the list with its last node
        --count_;
        release(n);
        it = lists_.find(peer);
    }
}

std::optional<PeerId> BinaryTrie::lookup_raw(const Node* n, const std::uint8_t* address,
                                             unsigned bits) const {
    std::optional<PeerId> best;
    while (n && prefix_matches(n->key.data(), address, n->cidr)) {
        if (n->has_peer)
            best = n->peer;
        if (n->cidr >= bits)
            break;
        n = n->child[bit_at(address, n->cidr)];
    }
    return best;
}

std::optional<PeerId> BinaryTrie::lookup_v4(const std::uint8_t* address) const {
    return lookup_raw(root4_, address, 32);
}
std::optional<PeerId> BinaryTrie::lookup_v6(const std::uint8_t* address) const {
    return lookup_raw(root6_, address, 128);
}
std::optional<PeerId> BinaryTrie::lookup(const IpAddress& a) const {
    if (a.is_v4())
        return lookup_v4(a.bytes.data());
    if (a.is_v6())
        return lookup_v6(a.bytes.data());
    return std::nullopt;
}

std::vector<IpPrefix> BinaryTrie::prefixes_of(PeerId peer) const {
    std::vector<IpPrefix> out;
    auto it = lists_.find(peer);
    if (it == lists_.end())
        return out;
    for (const Node* n = it->second.head; n; n = n->next) {
        IpPrefix p;
        p.address = n->v6 ? IpAddress::v6(n->key.data()) : IpAddress::v4(n->key.data());
        p.cidr = n->cidr;
        out.push_back(p);
    }
    return out;
}

} // namespace wgx::bench
