#pragma once
// The lookup side of cryptokey routing: longest-prefix match over one address family, built for
// the data path (a handful of dependent memory reads per lookup, whatever the table size).
//
// Shape: a multibit trie with prefix expansion.
//  - The root is a flat array of 65,536 slots indexed by the first 16 address bits. A prefix of
//    length 1..16 is expanded into every slot it covers; each slot remembers the length of the
//    prefix it holds, so a longer prefix is never overwritten by a shorter one.
//  - Below a slot, prefixes longer than the slot's depth live either in a *leaf* (up to
//    LEAF_ITEMS prefixes, flattened into a sorted array of interval starts, each with the peer
//    of the longest prefix covering it: one binary search over a few cache lines) or, when a
//    leaf grows beyond that, in a *table* of 256 slots for the next 8 bits, recursively.
//  - A /0 is one value for the whole family.
// Lookup walks root → tables → at most one leaf, keeping the last value seen.
//
// The table knows only what lookups need: the owner of each expanded slot and the prefixes of
// each leaf. When a prefix that was expanded into slots is removed, the slots fall back to the
// next shorter prefix, which the caller's exact-match index names (the `Exact` callback).
// Keys are unsigned integers holding the address in host order (std::uint32_t for IPv4, a
// 128-bit integer for IPv6), prefixes with their host bits zero.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

namespace wgx::protocol {

__extension__ using Uint128 = unsigned __int128;

template <typename Key>
class PrefixTable {
  public:
    /// Values stored: an opaque 32-bit id; `NONE` means "no prefix matches".
    using Value = std::uint32_t;
    static constexpr Value NONE = 0xffffffffu;
    static constexpr unsigned BITS = sizeof(Key) * 8;
    /// A leaf holding more prefixes than this becomes a table.
    static constexpr std::size_t LEAF_ITEMS = 12;

    PrefixTable() = default;
    ~PrefixTable() { clear(); }
    PrefixTable(const PrefixTable&) = delete;
    PrefixTable& operator=(const PrefixTable&) = delete;

    /// The value of the longest prefix holding `address`, or NONE.
    Value lookup(Key address) const {
        Value best = default_;
        if (!root_)
            return best;
        const Slot* s = &root_[std::size_t(address >> (BITS - ROOT_BITS))];
        unsigned depth = ROOT_BITS;
        for (;;) {
            if (s->len)
                best = s->value;
            std::uintptr_t child = s->child;
            if (!child)
                return best;
            if (child & LEAF_TAG) {
                Value v = reinterpret_cast<const Leaf*>(child & ~LEAF_TAG)->lookup(address, depth);
                return v == NONE ? best : v;
            }
            const Table* t = reinterpret_cast<const Table*>(child);
            s = &t->slots[std::size_t(address >> (BITS - depth - 8)) & 0xff];
            depth += 8;
        }
    }

    /// Maps prefix (`key`, `len`) to `value`, replacing the value it had.
    void set(Key key, unsigned len, Value value) {
        if (len == 0) {
            default_ = value;
            return;
        }
        if (!root_) {
            root_ = static_cast<Slot*>(std::calloc(ROOT_SLOTS, sizeof(Slot)));
            if (!root_)
                throw std::bad_alloc();
        }
        set_in(root_, 0, ROOT_BITS, key, len, value);
    }

    /// Removes prefix (`key`, `len`), which must be present. `exact(key, len)` returns the value
    /// of a prefix still present (NONE when absent): slots the removed prefix covered fall back
    /// to the longest shorter one. Call it after the caller's index forgot the removed prefix.
    template <typename Exact>
    void erase(Key key, unsigned len, const Exact& exact) {
        if (len == 0) {
            default_ = NONE;
            return;
        }
        if (root_)
            erase_in(root_, 0, ROOT_BITS, key, len, exact);
    }

    void clear() {
        if (root_) {
            for (std::size_t i = 0; i < ROOT_SLOTS; ++i)
                destroy(root_[i].child);
            std::free(root_);
            root_ = nullptr;
        }
        default_ = NONE;
    }

  private:
    static constexpr unsigned ROOT_BITS = 16;
    static constexpr std::size_t ROOT_SLOTS = std::size_t(1) << ROOT_BITS;
    static constexpr std::uintptr_t LEAF_TAG = 1;

    /// One expanded position. `len` 0 means no prefix ends here (calloc'd memory is empty).
    struct Slot {
        std::uintptr_t child; // a Table*, or a Leaf* tagged with LEAF_TAG, or 0
        Value value;
        std::uint8_t len;
    };
    struct Table {
        Slot slots[256];
    };
    struct Item {
        Key key;
        Value value;
        std::uint8_t len;
    };

    /// The prefixes below one slot (all longer than the slot's depth) and, in the same
    /// allocation, their flattening into interval starts: [header][starts][values][items], for
    /// IPv6 [header][shorts][values][starts][items]. For IPv6 the search runs over `shorts`, the 32
    /// bits of each start that follow the slot's depth (a quarter of the cache lines and cheaper
    /// compares than 128-bit starts: the part a lookup reads stays small enough to live in cache);
    /// the full starts settle only the rare addresses that agree with a start on those 32 bits.
    class Leaf {
      public:
        /// A leaf for `items` below the slot (`base`, `depth`).
        static Leaf* make(const Item* items, std::size_t n, Key base, unsigned depth) {
            // Interval starts: the slot's first address, every prefix's first address and the
            // address after its last (unless that leaves the slot).
            Key starts[2 * LEAF_ITEMS + 3];
            std::size_t ns = 0;
            Key last = base | host_mask(depth);
            starts[ns++] = base;
            for (std::size_t i = 0; i < n; ++i) {
                starts[ns++] = items[i].key;
                Key end = items[i].key | host_mask(items[i].len);
                if (end != last)
                    starts[ns++] = end + 1;
            }
            std::sort(starts, starts + ns);
            ns = std::size_t(std::unique(starts, starts + ns) - starts);

            Layout l(ns, n);
            void* mem = ::operator new(l.size, std::align_val_t(alignof(Item)));
            Leaf* leaf = new (mem) Leaf;
            leaf->n_starts_ = std::uint32_t(ns);
            leaf->n_items_ = std::uint32_t(n);
            if constexpr (WIDE) {
                Short* shorts = leaf->shorts_mut();
                for (std::size_t i = 0; i < ns; ++i)
                    shorts[i] = truncate(starts[i], depth);
            }
            std::memcpy(leaf->starts_mut(), starts, ns * sizeof(Key));
            std::memcpy(leaf->items_mut(), items, n * sizeof(Item));
            Value* values = leaf->values_mut();
            for (std::size_t s = 0; s < ns; ++s) {
                unsigned best_len = 0;
                values[s] = NONE;
                for (std::size_t i = 0; i < n; ++i)
                    if (items[i].len > best_len &&
                        (starts[s] & ~host_mask(items[i].len)) == items[i].key) {
                        best_len = items[i].len;
                        values[s] = items[i].value;
                    }
            }
            return leaf;
        }
        static void destroy(Leaf* leaf) {
            leaf->~Leaf();
            ::operator delete(leaf, std::align_val_t(alignof(Item)));
        }

        /// The value of the interval holding `address`; `depth` is the leaf's.
        Value lookup(Key address, unsigned depth) const {
            // The last start <= address (starts[0] is the slot's first address).
            if constexpr (WIDE) {
                Short a = truncate(address, depth);
                const Short* sh = shorts();
                std::size_t lo = last_not_above(sh, n_starts_, a);
                // Starts below the address truncate to at most `a`; of those that truncate to
                // exactly `a` (a run ending at lo), the full starts say which are above it.
                // starts[0] is the slot's first address, so the walk stops there at the latest.
                const Key* st = starts();
                while (sh[lo] == a && st[lo] > address)
                    --lo;
                return values()[lo];
            } else {
                return values()[last_not_above(starts(), n_starts_, address)];
            }
        }
        const Item* items() const {
            return reinterpret_cast<const Item*>(bytes() + Layout(n_starts_, n_items_).items);
        }
        std::size_t n_items() const { return n_items_; }

      private:
        static constexpr bool WIDE = sizeof(Key) > sizeof(std::uint64_t);
        using Short = std::uint32_t;

        /// The 32 address bits after the first `depth`.
        static Short truncate(Key k, unsigned depth) {
            return Short(Key(k << depth) >> (BITS - 32));
        }
        /// The index of the last of the sorted `keys` that is <= `k` (keys[0] <= k).
        template <typename K>
        static std::size_t last_not_above(const K* keys, std::size_t n, K k) {
            std::size_t lo = 0;
            while (n > 1) {
                std::size_t half = n / 2;
                lo = keys[lo + half] <= k ? lo + half : lo;
                n -= half;
            }
            return lo;
        }

        struct Layout {
            std::size_t shorts, starts, values, items, size;
            Layout(std::size_t ns, std::size_t ni) {
                // What a lookup reads comes first and together: the searched keys, then the
                // values; IPv6's full starts, read only to settle a tie, after them.
                shorts = round_up(sizeof(Leaf), alignof(Short));
                if constexpr (WIDE) {
                    values = shorts + ns * sizeof(Short);
                    starts = round_up(values + ns * sizeof(Value), alignof(Key));
                    items = round_up(starts + ns * sizeof(Key), alignof(Item));
                } else {
                    starts = round_up(shorts, alignof(Key));
                    values = starts + ns * sizeof(Key);
                    items = round_up(values + ns * sizeof(Value), alignof(Item));
                }
                size = items + ni * sizeof(Item);
            }
            static std::size_t round_up(std::size_t n, std::size_t a) {
                return (n + a - 1) / a * a;
            }
        };
        const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(this); }
        unsigned char* bytes() { return reinterpret_cast<unsigned char*>(this); }
        const Short* shorts() const {
            return reinterpret_cast<const Short*>(bytes() + Layout(0, 0).shorts);
        }
        Short* shorts_mut() { return reinterpret_cast<Short*>(bytes() + Layout(0, 0).shorts); }
        const Key* starts() const {
            return reinterpret_cast<const Key*>(bytes() + Layout(n_starts_, 0).starts);
        }
        Key* starts_mut() { return reinterpret_cast<Key*>(bytes() + Layout(n_starts_, 0).starts); }
        const Value* values() const {
            return reinterpret_cast<const Value*>(bytes() + Layout(n_starts_, 0).values);
        }
        Value* values_mut() {
            return reinterpret_cast<Value*>(bytes() + Layout(n_starts_, 0).values);
        }
        Item* items_mut() {
            return reinterpret_cast<Item*>(bytes() + Layout(n_starts_, n_items_).items);
        }

        std::uint32_t n_starts_ = 0;
        std::uint32_t n_items_ = 0;
    };

    /// The address bits after the first `len`.
    static Key host_mask(unsigned len) { return len >= BITS ? Key(0) : ~Key(0) >> len; }
    static std::size_t index(Key key, unsigned depth, unsigned stride) {
        return std::size_t(key >> (BITS - depth - stride)) & ((std::size_t(1) << stride) - 1);
    }

    /// Sets (key, len) in the slots of a node at `depth` that consumes `stride` bits.
    void set_in(Slot* slots, unsigned depth, unsigned stride, Key key, unsigned len, Value value) {
        if (len <= depth + stride) {
            std::size_t first = index(key, depth, stride);
            std::size_t count = std::size_t(1) << (depth + stride - len);
            for (std::size_t i = first; i < first + count; ++i)
                if (slots[i].len <= len) {
                    slots[i].len = std::uint8_t(len);
                    slots[i].value = value;
                }
            return;
        }
        Slot& s = slots[index(key, depth, stride)];
        unsigned below = depth + stride;
        Key base = key & ~host_mask(below);
        if (!s.child) {
            Item item{key, value, std::uint8_t(len)};
            s.child =
                reinterpret_cast<std::uintptr_t>(Leaf::make(&item, 1, base, below)) | LEAF_TAG;
            return;
        }
        if (!(s.child & LEAF_TAG)) {
            set_in(reinterpret_cast<Table*>(s.child)->slots, below, 8, key, len, value);
            return;
        }
        Leaf* leaf = reinterpret_cast<Leaf*>(s.child & ~LEAF_TAG);
        Item items[LEAF_ITEMS + 1];
        std::size_t n = leaf->n_items();
        std::memcpy(items, leaf->items(), n * sizeof(Item));
        auto same = std::find_if(items, items + n,
                                 [&](const Item& i) { return i.key == key && i.len == len; });
        if (same != items + n)
            same->value = value;
        else
            items[n++] = Item{key, value, std::uint8_t(len)};
        Leaf::destroy(leaf);
        if (n <= LEAF_ITEMS) {
            s.child =
                reinterpret_cast<std::uintptr_t>(Leaf::make(items, n, base, below)) | LEAF_TAG;
            return;
        }
        // Too many for a leaf: spread them over a table for the next 8 bits.
        Table* t = static_cast<Table*>(std::calloc(1, sizeof(Table)));
        if (!t)
            throw std::bad_alloc();
        s.child = reinterpret_cast<std::uintptr_t>(t);
        // Expansion keeps the longer prefix in each slot, so the order does not matter.
        for (std::size_t i = 0; i < n; ++i)
            set_in(t->slots, below, 8, items[i].key, items[i].len, items[i].value);
    }

    template <typename Exact>
    void erase_in(Slot* slots, unsigned depth, unsigned stride, Key key, unsigned len,
                  const Exact& exact) {
        if (len <= depth + stride) {
            std::size_t first = index(key, depth, stride);
            std::size_t count = std::size_t(1) << (depth + stride - len);
            for (std::size_t i = first; i < first + count; ++i) {
                Slot& s = slots[i];
                if (s.len != len)
                    continue; // a longer prefix inside the removed one owns it
                // Fall back to the longest shorter prefix that ends in this node.
                Key address = (key & ~host_mask(depth)) | (Key(i) << (BITS - depth - stride));
                s.len = 0;
                s.value = 0;
                for (unsigned l = len - 1; l > depth; --l) {
                    Value v = exact(address & ~host_mask(l), l);
                    if (v != NONE) {
                        s.len = std::uint8_t(l);
                        s.value = v;
                        break;
                    }
                }
            }
            return;
        }
        Slot& s = slots[index(key, depth, stride)];
        unsigned below = depth + stride;
        if (!s.child)
            return;
        if (!(s.child & LEAF_TAG)) {
            Table* t = reinterpret_cast<Table*>(s.child);
            erase_in(t->slots, below, 8, key, len, exact);
            if (std::all_of(t->slots, t->slots + 256,
                            [](const Slot& x) { return x.len == 0 && x.child == 0; })) {
                std::free(t);
                s.child = 0;
            }
            return;
        }
        Leaf* leaf = reinterpret_cast<Leaf*>(s.child & ~LEAF_TAG);
        Item items[LEAF_ITEMS];
        std::size_t n = 0;
        for (std::size_t i = 0; i < leaf->n_items(); ++i) {
            const Item& it = leaf->items()[i];
            if (!(it.key == key && it.len == len))
                items[n++] = it;
        }
        if (n == leaf->n_items())
            return;
        Leaf::destroy(leaf);
        s.child = n ? reinterpret_cast<std::uintptr_t>(
                          Leaf::make(items, n, key & ~host_mask(below), below)) |
                          LEAF_TAG
                    : 0;
    }

    static void destroy(std::uintptr_t child) {
        if (!child)
            return;
        if (child & LEAF_TAG) {
            Leaf::destroy(reinterpret_cast<Leaf*>(child & ~LEAF_TAG));
            return;
        }
        Table* t = reinterpret_cast<Table*>(child);
        for (const Slot& s : t->slots)
            destroy(s.child);
        std::free(t);
    }

    Slot* root_ = nullptr;
    Value default_ = NONE;
};

} // namespace wgx::protocol
