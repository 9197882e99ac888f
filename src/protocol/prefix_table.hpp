#pragma once
// The lookup side of cryptokey routing: longest-prefix match over one address family, built for
// the data path (a handful of dependent memory reads per lookup, whatever the table size).
//
// Shape: a multibit trie with prefix expansion.
//  - The root is a flat array of 2^20 slots indexed by the first 20 address bits (ROOT_BITS). A
//    prefix of length 9..20 is expanded into every slot it covers; each slot remembers the
//    length of the prefix it holds, so a longer prefix is never overwritten by a shorter one.
//  - Below a slot, prefixes longer than the slot's depth live either in a *leaf* (up to
//    LEAF_ITEMS prefixes, flattened into a sorted array of interval starts, each with the peer
//    of the longest prefix covering it: one binary search over a few cache lines) or, when a
//    leaf grows beyond that, in a *table* of 64 slots for the next 6 bits, recursively.
//  - A /0 is one value for the whole family, and prefixes of /1../8 are expanded into a table
//    of 256 slots of their own (a /1 would otherwise fill the root); a lookup starts from what
//    that table, or else the /0, says for the address's first 8 bits.
//  - Each slot with a child also carries a 32-bit *summary*: bit i is set when some prefix
//    below it covers part of the i-th thirty-second of the slot's range. Most random addresses
//    fall where nothing longer is configured, and the summary answers them from the slot alone,
//    without reading the child: with a million prefixes, that read is a cache miss.
// Lookup walks root → tables → at most one leaf, keeping the last value seen.
//
// The table knows only what lookups need: the owner of each expanded slot and the prefixes of
// each leaf. When a prefix that was expanded into slots is removed, the slots fall back to the
// next shorter prefix, which the caller's exact-match index names (the `Exact` callback).
// Keys are unsigned integers holding the address in host order (std::uint32_t for IPv4, a
// 128-bit integer for IPv6), prefixes with their host bits zero.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <type_traits>
#include <vector>

#include "protocol/node_arena.hpp"

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
    /// Address bits the root consumes, then each table below. A 20-bit root (16 MiB when a
    /// million prefixes touch all of it; a small table touches a few of its pages) answers
    /// about 98% of random addresses in such a table from one slot: with a 16-bit root, 25-35%
    /// fell below it (every prefix of /17../20 covers more of a slot than the summary can
    /// skip), and each of those waited on a leaf in memory after a mispredicted branch.
    /// 20 + 6k ends at both 32 and 128.
    static constexpr unsigned ROOT_BITS = 20;
    static constexpr unsigned TABLE_BITS = 6;
    static_assert((BITS - ROOT_BITS) % TABLE_BITS == 0, "tables must end at the address's end");

    PrefixTable() { refresh_above_root(); }
    ~PrefixTable() { clear(); }
    PrefixTable(const PrefixTable&) = delete;
    PrefixTable& operator=(const PrefixTable&) = delete;

    /// The value of the longest prefix holding `address`, or NONE. Always inlined: it is the
    /// data path's per-packet call, and once it grew past GCC's inlining limit for the 128-bit
    /// keys, the call cost a fifth of the IPv6 lookup rate (tests/bench/allowed_ips_bench.cpp).
    [[gnu::always_inline]] Value lookup(Key address) const {
        Value best = above_root_[std::size_t(address >> (BITS - SHORT_BITS))];
        if (!root_)
            return best;
        const Slot* s = &root_[std::size_t(address >> (BITS - ROOT_BITS))];
        unsigned depth = ROOT_BITS;
        for (;;) {
            if (s->len())
                best = s->value;
            std::uintptr_t child = s->child();
            if (!child || !(s->summary >> index(address, depth, SUMMARY_BITS) & 1))
                return best;
            if (child & LEAF_TAG) {
                Value v = reinterpret_cast<const Leaf*>(child & ~LEAF_TAG)->lookup(address, depth);
                return v == NONE ? best : v;
            }
            const Table* t = reinterpret_cast<const Table*>(child);
            s = &t->slots[index(address, depth, TABLE_BITS)];
            depth += TABLE_BITS;
        }
    }

    /// Maps prefix (`key`, `len`) to `value`, replacing the value it had.
    void set(Key key, unsigned len, Value value) {
        if (len == 0) {
            default_ = value;
            refresh_above_root();
            return;
        }
        if (len <= SHORT_BITS) {
            set_in(short_, 0, SHORT_BITS, key, len, value);
            refresh_above_root();
            return;
        }
        if (!root_)
            root_ = static_cast<Slot*>(NodeArena::map_aligned(ROOT_BYTES, false));
        set_in(root_, 0, ROOT_BITS, key, len, value);
        if (!root_on_huge_pages_ && arenas_.hot.bytes_mapped() > NodeArena::CHUNK_BYTES)
            move_root_to_huge_pages();
    }

    /// Removes prefix (`key`, `len`), which must be present. `exact(key, len)` returns the value
    /// of a prefix still present (NONE when absent): slots the removed prefix covered fall back
    /// to the longest shorter one. Call it after the caller's index forgot the removed prefix.
    template <typename Exact>
    void erase(Key key, unsigned len, const Exact& exact) {
        if (len == 0) {
            default_ = NONE;
            refresh_above_root();
            return;
        }
        if (len <= SHORT_BITS) {
            erase_in(short_, 0, SHORT_BITS, key, len, exact, 0);
            refresh_above_root();
        } else if (root_)
            erase_in(root_, 0, ROOT_BITS, key, len, exact, SHORT_BITS);
    }

    /// Whether the root moved to memory advised for huge pages (see move_root_to_huge_pages).
    bool root_on_huge_pages() const { return root_on_huge_pages_; }
    /// Bytes the table has reserved: its root, once a prefix longer than SHORT_BITS arrived
    /// (only the pages slots were written to are resident), and the arenas' chunks.
    std::size_t bytes_reserved() const {
        return (root_ ? ROOT_BYTES : 0) + arenas_.hot.bytes_mapped() + arenas_.cold.bytes_mapped();
    }

    void clear() {
        // Every node lives in the arenas: no walk over the root's million slots (most of them
        // never touched in a small table).
        if (root_)
            NodeArena::unmap(root_, ROOT_BYTES);
        root_ = nullptr;
        root_on_huge_pages_ = false;
        std::fill(std::begin(short_), std::end(short_), Slot{});
        arenas_.hot.release();
        arenas_.cold.release();
        default_ = NONE;
        refresh_above_root();
    }

  private:
    static constexpr std::size_t ROOT_SLOTS = std::size_t(1) << ROOT_BITS;
    static constexpr std::size_t ROOT_BYTES = ROOT_SLOTS * 16; // sizeof(Slot), declared below
    static_assert(ROOT_BYTES % NodeArena::CHUNK_BYTES == 0);
    /// The longest prefixes that the short table holds (see short_).
    static constexpr unsigned SHORT_BITS = 8;
    static constexpr std::size_t TABLE_SLOTS = std::size_t(1) << TABLE_BITS;
    static constexpr std::uintptr_t LEAF_TAG = 1;

    /// The summary's resolution: 2^5 = 32 parts of a slot's range, one bit each.
    static constexpr unsigned SUMMARY_BITS = 5;

    /// One expanded position, 16 bytes. Length 0 means no prefix ends here (fresh mappings are
    /// empty). The child pointer and the length share a word so that the summary fits too.
    struct Slot {
        static constexpr unsigned LEN_SHIFT = 56;
        static constexpr std::uint64_t CHILD_MASK = (std::uint64_t(1) << LEN_SHIFT) - 1;

        std::uint64_t child_len; // [63:56] prefix length, [55:0] child (see child())
        Value value;
        std::uint32_t summary; // bit i: a prefix below covers part of the i-th 1/32 of the slot

        /// A Table*, or a Leaf* tagged with LEAF_TAG, or 0.
        std::uintptr_t child() const { return std::uintptr_t(child_len & CHILD_MASK); }
        unsigned len() const { return unsigned(child_len >> LEN_SHIFT); }
        void set_child(std::uintptr_t c) {
            // User-space pointers use at most 47 bits (57 with 5-level paging, and only when
            // asked for): one that does not fit cannot come from the allocator.
            if (std::uint64_t(c) > CHILD_MASK)
                std::abort();
            child_len = (child_len & ~CHILD_MASK) | c;
        }
        void set_len(unsigned l) {
            child_len = (child_len & CHILD_MASK) | std::uint64_t(l) << LEN_SHIFT;
        }
    };
    static_assert(sizeof(Slot) == 16);
    struct Table {
        Slot slots[TABLE_SLOTS];
    };
    /// Where nodes live: what lookups read (tables and the searched part of leaves) apart from
    /// what only changes read (the rest of each leaf), so that the first stays dense.
    struct Arenas {
        NodeArena hot;
        NodeArena cold;
    };
    struct Item {
        Key key;
        Value value;
        std::uint8_t len;
    };

    /// The prefixes below one slot (all longer than the slot's depth) and their flattening into
    /// interval starts, each with the value of the longest prefix covering it, in two
    /// allocations: what a lookup reads, [header][search keys][values], and what it does not,
    /// [full starts (IPv6)][items], so that the hot part of a million-prefix table stays small
    /// enough to live in the cache. The search keys are the bits of each start that follow the
    /// slot's depth: 16 for IPv4, which below the root are all of them (half the size of whole
    /// starts), and 32 for IPv6 (a quarter of the size and cheaper compares
    /// than 128-bit starts), where the full starts settle only the rare addresses that agree
    /// with a start on those 32 bits.
    class Leaf {
      public:
        /// A leaf for `items` below the slot (`base`, `depth`).
        static Leaf* make(Arenas& arenas, const Item* items, std::size_t n, Key base,
                          unsigned depth) {
            // Interval starts: the slot's first address, every prefix's first address and the
            // address after its last (unless that leaves the slot).
            Key starts[MAX_STARTS];
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

            static_assert(alignof(Item) <= NodeArena::GRAIN);
            void* cold = arenas.cold.allocate(cold_size(ns, n));
            void* mem;
            try {
                mem = arenas.hot.allocate(hot_size(ns));
            } catch (...) {
                arenas.cold.deallocate(cold, cold_size(ns, n));
                throw;
            }
            Leaf* leaf = new (mem) Leaf;
            leaf->n_starts_ = std::uint32_t(ns);
            leaf->n_items_ = std::uint32_t(n);
            leaf->cold_ = static_cast<unsigned char*>(cold);
            Short* keys = leaf->keys_mut();
            for (std::size_t i = 0; i < ns; ++i)
                keys[i] = truncate(starts[i], depth);
            if constexpr (WIDE)
                std::memcpy(leaf->cold_, starts, ns * sizeof(Key));
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
        static void destroy(Arenas& arenas, Leaf* leaf) {
            arenas.cold.deallocate(leaf->cold_, cold_size(leaf->n_starts_, leaf->n_items_));
            std::size_t size = hot_size(leaf->n_starts_);
            leaf->~Leaf();
            arenas.hot.deallocate(leaf, size);
        }

        /// The value of the interval holding `address`; `depth` is the leaf's.
        Value lookup(Key address, unsigned depth) const {
            // The last start <= address (the first start is the slot's first address).
            Short a = truncate(address, depth);
            const Short* keys = keys_of();
            std::size_t lo = last_not_above(keys, n_starts_, a);
            if constexpr (WIDE) {
                // Starts below the address truncate to at most `a`; of those that truncate to
                // exactly `a` (a run ending at lo), the full starts say which are above it.
                // The first start is the slot's first address, so the walk stops there.
                if (keys[lo] == a) {
                    const Key* st = starts();
                    while (keys[lo] == a && st[lo] > address)
                        --lo;
                }
            }
            return values()[lo];
        }
        const Item* items() const {
            return reinterpret_cast<const Item*>(cold_ + items_offset(n_starts_));
        }
        std::size_t n_items() const { return n_items_; }

      private:
        static constexpr bool WIDE = sizeof(Key) > sizeof(std::uint64_t);
        /// The searched form of a start: its 16 (IPv4) or 32 (IPv6) bits after the slot's depth.
        using Short = std::conditional_t<WIDE, std::uint32_t, std::uint16_t>;
        static_assert(WIDE || ROOT_BITS + 8 * sizeof(Short) >= BITS,
                      "an IPv4 leaf's keys must hold every bit below the root");

        static Short truncate(Key k, unsigned depth) {
            return Short(Key(k << depth) >> (BITS - sizeof(Short) * 8));
        }
        /// The most interval starts a leaf holds: the slot's first address, and each prefix's
        /// first address and the one after its last.
        static constexpr std::size_t MAX_STARTS = 2 * LEAF_ITEMS + 1;
        /// The largest power of two below MAX_STARTS: the first step of the search.
        static constexpr std::size_t FIRST_STEP = std::bit_floor(MAX_STARTS - 1);
        /// The index of the last of the `n` sorted `keys` that is <= `k` (keys[0] <= k). The
        /// same fixed steps whatever `n`, each a conditional move: no branch depends on the
        /// leaf's contents, so the processor never mispredicts here and runs ahead into the
        /// next lookup while this one waits for memory.
        static std::size_t last_not_above(const Short* keys, std::size_t n, Short k) {
            std::size_t lo = 0;
            for (std::size_t step = FIRST_STEP; step; step /= 2) {
                // Past the end, probe the last key: if it is <= k, it is the answer, and every
                // later probe lands on it again.
                std::size_t probe = std::min(lo + step, n - 1);
                lo = keys[probe] <= k ? probe : lo;
            }
            return lo;
        }

        static std::size_t round_up(std::size_t n, std::size_t a) { return (n + a - 1) / a * a; }
        static std::size_t keys_offset() { return round_up(sizeof(Leaf), alignof(Short)); }
        static std::size_t values_offset(std::size_t ns) {
            return round_up(keys_offset() + ns * sizeof(Short), alignof(Value));
        }
        static std::size_t hot_size(std::size_t ns) {
            return values_offset(ns) + ns * sizeof(Value);
        }
        static std::size_t items_offset(std::size_t ns) {
            return WIDE ? round_up(ns * sizeof(Key), alignof(Item)) : 0;
        }
        static std::size_t cold_size(std::size_t ns, std::size_t ni) {
            return items_offset(ns) + ni * sizeof(Item);
        }

        const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(this); }
        unsigned char* bytes() { return reinterpret_cast<unsigned char*>(this); }
        const Short* keys_of() const {
            return reinterpret_cast<const Short*>(bytes() + keys_offset());
        }
        Short* keys_mut() { return reinterpret_cast<Short*>(bytes() + keys_offset()); }
        const Value* values() const {
            return reinterpret_cast<const Value*>(bytes() + values_offset(n_starts_));
        }
        Value* values_mut() { return reinterpret_cast<Value*>(bytes() + values_offset(n_starts_)); }
        const Key* starts() const { return reinterpret_cast<const Key*>(cold_); }
        Item* items_mut() { return reinterpret_cast<Item*>(cold_ + items_offset(n_starts_)); }

        std::uint32_t n_starts_ = 0;
        std::uint32_t n_items_ = 0;
        unsigned char* cold_ = nullptr; // [full starts (IPv6)][items]
    };

    /// The address bits after the first `len`.
    static Key host_mask(unsigned len) { return len >= BITS ? Key(0) : ~Key(0) >> len; }
    static std::size_t index(Key key, unsigned depth, unsigned stride) {
        return std::size_t(key >> (BITS - depth - stride)) & ((std::size_t(1) << stride) - 1);
    }

    /// The summary bits of a slot whose child starts at `below` that prefix (key, len), longer
    /// than `below`, touches: one bit, or a run of them for a prefix shorter than the summary's
    /// resolution.
    static std::uint32_t summary_of(Key key, unsigned len, unsigned below) {
        std::size_t first = index(key, below, SUMMARY_BITS);
        if (len >= below + SUMMARY_BITS)
            return std::uint32_t(1) << first;
        unsigned count = 1u << (below + SUMMARY_BITS - len);
        return std::uint32_t(((std::uint64_t(1) << count) - 1) << first);
    }

    /// The root starts on ordinary pages, so that a small table keeps only the few it wrote to.
    /// Once the nodes outgrow the arena's first chunk (which is on ordinary pages too), the
    /// table is large: the root moves to memory advised for huge pages, where a random lookup's
    /// root read costs no page walk (12-18% of the lookup rate at 1M prefixes). Only the
    /// pages the root wrote to are copied.
    void move_root_to_huge_pages() {
        auto* moved = static_cast<Slot*>(NodeArena::map_aligned(ROOT_BYTES, true));
        constexpr std::size_t PAGE_WORDS = 4096 / sizeof(std::uint64_t);
        const auto* from = reinterpret_cast<const std::uint64_t*>(root_);
        auto* to = reinterpret_cast<std::uint64_t*>(moved);
        for (std::size_t page = 0; page < ROOT_BYTES / sizeof(std::uint64_t); page += PAGE_WORDS)
            if (std::any_of(from + page, from + page + PAGE_WORDS,
                            [](std::uint64_t w) { return w != 0; }))
                std::memcpy(to + page, from + page, PAGE_WORDS * sizeof(std::uint64_t));
        NodeArena::unmap(root_, ROOT_BYTES);
        root_ = moved;
        root_on_huge_pages_ = true;
    }

    /// Recomputes above_root_ after the short table or the /0 changed.
    void refresh_above_root() {
        for (std::size_t i = 0; i < std::size(short_); ++i)
            above_root_[i] = short_[i].len() ? short_[i].value : default_;
    }

    /// Sets (key, len) in the slots of a node at `depth` that consumes `stride` bits.
    void set_in(Slot* slots, unsigned depth, unsigned stride, Key key, unsigned len, Value value) {
        if (len <= depth + stride) {
            std::size_t first = index(key, depth, stride);
            std::size_t count = std::size_t(1) << (depth + stride - len);
            for (std::size_t i = first; i < first + count; ++i)
                if (slots[i].len() <= len) {
                    slots[i].set_len(len);
                    slots[i].value = value;
                }
            return;
        }
        Slot& s = slots[index(key, depth, stride)];
        unsigned below = depth + stride;
        Key base = key & ~host_mask(below);
        s.summary |= summary_of(key, len, below);
        if (!s.child()) {
            Item item{key, value, std::uint8_t(len)};
            s.set_child(
                reinterpret_cast<std::uintptr_t>(Leaf::make(arenas_, &item, 1, base, below)) |
                LEAF_TAG);
            return;
        }
        if (!(s.child() & LEAF_TAG)) {
            set_in(reinterpret_cast<Table*>(s.child())->slots, below, TABLE_BITS, key, len, value);
            return;
        }
        Leaf* leaf = reinterpret_cast<Leaf*>(s.child() & ~LEAF_TAG);
        Item items[LEAF_ITEMS + 1];
        std::size_t n = leaf->n_items();
        std::memcpy(items, leaf->items(), n * sizeof(Item));
        auto same = std::find_if(items, items + n,
                                 [&](const Item& i) { return i.key == key && i.len == len; });
        if (same != items + n)
            same->value = value;
        else
            items[n++] = Item{key, value, std::uint8_t(len)};
        Leaf::destroy(arenas_, leaf);
        if (n <= LEAF_ITEMS) {
            s.set_child(
                reinterpret_cast<std::uintptr_t>(Leaf::make(arenas_, items, n, base, below)) |
                LEAF_TAG);
            return;
        }
        // Too many for a leaf: spread them over a table for the next 8 bits.
        Table* t = static_cast<Table*>(arenas_.hot.allocate(sizeof(Table)));
        std::memset(static_cast<void*>(t), 0, sizeof(Table));
        s.set_child(reinterpret_cast<std::uintptr_t>(t));
        // Expansion keeps the longer prefix in each slot, so the order does not matter.
        for (std::size_t i = 0; i < n; ++i)
            set_in(t->slots, below, TABLE_BITS, items[i].key, items[i].len, items[i].value);
    }

    template <typename Exact>
    void erase_in(Slot* slots, unsigned depth, unsigned stride, Key key, unsigned len,
                  const Exact& exact, unsigned floor) {
        if (len <= depth + stride) {
            std::size_t first = index(key, depth, stride);
            std::size_t count = std::size_t(1) << (depth + stride - len);
            for (std::size_t i = first; i < first + count; ++i) {
                Slot& s = slots[i];
                if (s.len() != len)
                    continue; // a longer prefix inside the removed one owns it
                // Fall back to the longest shorter prefix that ends in this node (prefixes up to
                // `floor` live in a node above, or in the short table).
                Key address = (key & ~host_mask(depth)) | (Key(i) << (BITS - depth - stride));
                s.set_len(0);
                s.value = 0;
                for (unsigned l = len - 1; l > floor; --l) {
                    Value v = exact(address & ~host_mask(l), l);
                    if (v != NONE) {
                        s.set_len(l);
                        s.value = v;
                        break;
                    }
                }
            }
            return;
        }
        Slot& s = slots[index(key, depth, stride)];
        unsigned below = depth + stride;
        if (!s.child())
            return;
        if (!(s.child() & LEAF_TAG)) {
            Table* t = reinterpret_cast<Table*>(s.child());
            erase_in(t->slots, below, TABLE_BITS, key, len, exact, below);
            // Each summary bit stands for TABLE_SLOTS / 32 of the table's slots.
            constexpr std::size_t PER_BIT = TABLE_SLOTS >> SUMMARY_BITS;
            std::uint32_t summary = 0;
            for (std::size_t i = 0; i < TABLE_SLOTS; ++i)
                if (t->slots[i].len() || t->slots[i].child())
                    summary |= std::uint32_t(1) << (i / PER_BIT);
            s.summary = summary;
            if (!summary) {
                arenas_.hot.deallocate(t, sizeof(Table));
                s.set_child(0);
            }
            return;
        }
        Leaf* leaf = reinterpret_cast<Leaf*>(s.child() & ~LEAF_TAG);
        Item items[LEAF_ITEMS];
        std::size_t n = 0;
        for (std::size_t i = 0; i < leaf->n_items(); ++i) {
            const Item& it = leaf->items()[i];
            if (!(it.key == key && it.len == len))
                items[n++] = it;
        }
        if (n == leaf->n_items())
            return;
        Leaf::destroy(arenas_, leaf);
        s.set_child(n ? reinterpret_cast<std::uintptr_t>(
                            Leaf::make(arenas_, items, n, key & ~host_mask(below), below)) |
                            LEAF_TAG
                      : 0);
        s.summary = 0;
        for (std::size_t i = 0; i < n; ++i)
            s.summary |= summary_of(items[i].key, items[i].len, below);
    }

    /// Prefixes of /1../SHORT_BITS, expanded here rather than into the root: /1s such as
    /// 0.0.0.0/1 and 128.0.0.0/1 (or ::/1 and 8000::/1) would otherwise touch every page of
    /// it, 16 MiB, where this costs 4 KiB.
    Slot short_[std::size_t(1) << SHORT_BITS] = {};
    /// What each 1/256th of the space holds above the root: the short table's value, else the
    /// /0's. Lookups start from it (one load, no test).
    Value above_root_[std::size_t(1) << SHORT_BITS];
    Slot* root_ = nullptr;
    bool root_on_huge_pages_ = false;
    Value default_ = NONE;
    Arenas arenas_;
};

} // namespace wgx::protocol
