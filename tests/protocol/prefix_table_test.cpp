#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "protocol/prefix_table.hpp"

using namespace wgx::protocol;

namespace {

using Table = PrefixTable<std::uint32_t>;

/// The table plus the exact-match index it relies on for fallbacks.
struct Indexed {
    Table table;
    std::map<std::pair<std::uint32_t, unsigned>, Table::Value> exact;
    void set(std::uint32_t key, unsigned len, Table::Value v) {
        exact[{key, len}] = v;
        table.set(key, len, v);
    }
    void erase(std::uint32_t key, unsigned len) {
        exact.erase({key, len});
        table.erase(key, len, [&](std::uint32_t k, unsigned l) {
            auto it = exact.find({k, l});
            return it == exact.end() ? Table::NONE : it->second;
        });
    }
};

} // namespace

TEST_CASE("prefix table: a slot falls back to the next shorter prefix in its node") {
    Indexed t;
    t.set(0x0a000000, 8, 1);  // 10/8 in the root
    t.set(0x0a010000, 16, 2); // 10.1/16 in the root
    t.set(0x0a010100, 24, 3); // 10.1.1/24 below it
    CHECK(t.table.lookup(0x0a010101) == 3);
    CHECK(t.table.lookup(0x0a010201) == 2);
    t.erase(0x0a010000, 16);
    CHECK(t.table.lookup(0x0a010201) == 1);
    CHECK(t.table.lookup(0x0a010101) == 3);
    t.erase(0x0a010100, 24);
    CHECK(t.table.lookup(0x0a010101) == 1);
    t.erase(0x0a000000, 8);
    CHECK(t.table.lookup(0x0a010101) == Table::NONE);
}

TEST_CASE("prefix table: /1../8 live apart from the root, and each level falls back alone") {
    Indexed t;
    t.set(0x00000000, 1, 1); // 0.0.0.0/1
    t.set(0x80000000, 1, 2); // 128.0.0.0/1
    t.set(0x0a000000, 8, 3); // 10/8
    // No root yet: a /1 would have filled all 2^ROOT_BITS slots of it.
    CHECK(t.table.bytes_reserved() == 0);
    CHECK(t.table.lookup(0x0a0a0a0a) == 3);
    CHECK(t.table.lookup(0x0b000000) == 1);
    CHECK(t.table.lookup(0xc0000201) == 2);
    t.set(0x0a010000, 16, 4); // 10.1/16, in the root
    CHECK(t.table.bytes_reserved() > 0);
    CHECK(t.table.lookup(0x0a010203) == 4);
    CHECK(t.table.lookup(0x0a020000) == 3);
    // The root slots 10.1/16 held fall back to nothing of their own, so 10/8 answers from the
    // short table; once 10/8 goes too, the /1 does.
    t.erase(0x0a010000, 16);
    CHECK(t.table.lookup(0x0a010203) == 3);
    t.erase(0x0a000000, 8);
    CHECK(t.table.lookup(0x0a010203) == 1);
    CHECK(t.table.lookup(0x0a020000) == 1);
    // The other way round: removing the /8 under a /16 leaves the /16 alone.
    t.set(0x0a000000, 8, 3);
    t.set(0x0a010000, 16, 4);
    t.erase(0x0a000000, 8);
    CHECK(t.table.lookup(0x0a010203) == 4);
    CHECK(t.table.lookup(0x0a020000) == 1);
    t.erase(0x00000000, 1);
    CHECK(t.table.lookup(0x0a020000) == Table::NONE);
    CHECK(t.table.lookup(0x0a010203) == 4);
    t.table.clear();
    CHECK(t.table.lookup(0xc0000201) == Table::NONE);
    CHECK(t.table.bytes_reserved() == 0);
}

TEST_CASE("prefix table: a table that outgrows small pages moves its root and still answers") {
    // Random /9../32 until the nodes outgrow the arena's first chunk and the root moves to
    // memory advised for huge pages; then lookups of random addresses and of prefix edges are
    // compared with the longest match found in the exact index, before and after more changes.
    Indexed t;
    std::uint64_t state = 0x2545f4914f6cdd1dull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    auto mask = [](unsigned len) { return len == 0 ? 0u : ~0u << (32 - len); };
    auto reference = [&](std::uint32_t a) {
        for (unsigned len = 33; len-- > 0;) {
            auto it = t.exact.find({a & mask(len), len});
            if (it != t.exact.end())
                return it->second;
        }
        return Table::NONE;
    };
    auto check = [&] {
        for (int i = 0; i < 20000; ++i) {
            std::uint32_t a = std::uint32_t(next());
            REQUIRE(t.table.lookup(a) == reference(a));
        }
        int n = 0;
        for (auto& [p, v] : t.exact) {
            if (n++ % 64)
                continue;
            std::uint32_t last = p.first | ~mask(p.second);
            for (std::uint32_t a : {p.first, p.first - 1, last, last + 1})
                REQUIRE(t.table.lookup(a) == reference(a));
        }
    };
    std::vector<std::pair<std::uint32_t, unsigned>> added;
    for (int i = 0; i < 400000 && !t.table.root_on_huge_pages(); ++i) {
        unsigned len = 9 + unsigned(next() % 24);
        std::uint32_t key = std::uint32_t(next()) & mask(len);
        t.set(key, len, std::uint32_t(i));
        added.emplace_back(key, len);
    }
    REQUIRE(t.table.root_on_huge_pages());
    check();
    for (std::size_t i = 0; i < added.size(); i += 3)
        if (t.exact.count(added[i]))
            t.erase(added[i].first, added[i].second);
    for (int i = 0; i < 20000; ++i) {
        unsigned len = 9 + unsigned(next() % 24);
        t.set(std::uint32_t(next()) & mask(len), len, std::uint32_t(i));
    }
    check();
}

TEST_CASE("prefix table: a full leaf becomes a table and lookups stay exact") {
    Indexed t;
    // LEAF_ITEMS + 4 host routes below 192.0.2.0/24 plus nested prefixes: two conversions.
    for (std::uint32_t i = 0; i < Table::LEAF_ITEMS + 4; ++i)
        t.set(0xc0000200 + i * 3, 32, i);
    t.set(0xc0000200, 26, 100);
    t.set(0xc0000000, 17, 101);
    for (std::uint32_t i = 0; i < Table::LEAF_ITEMS + 4; ++i) {
        CHECK(t.table.lookup(0xc0000200 + i * 3) == i);
        CHECK(t.table.lookup(0xc0000200 + i * 3 + 1) == (i * 3 + 1 < 64 ? 100u : 101u));
    }
    CHECK(t.table.lookup(0xc0007fff) == 101);
    CHECK(t.table.lookup(0xc0008000) == Table::NONE);
    for (std::uint32_t i = 0; i < Table::LEAF_ITEMS + 4; ++i)
        t.erase(0xc0000200 + i * 3, 32);
    CHECK(t.table.lookup(0xc0000203) == 100);
    t.erase(0xc0000200, 26);
    t.erase(0xc0000000, 17);
    CHECK(t.table.lookup(0xc0000203) == Table::NONE);
}

TEST_CASE("prefix table: IPv6 keys whose starts agree on the 32 bits after the slot") {
    PrefixTable<Uint128> t;
    const Uint128 base = Uint128(0xfd00000000000000ull) << 64;
    // Both /128s sit in one leaf below the root slot fd00::/20 and differ only in the last bits.
    t.set(base | 5, 128, 1);
    t.set(base | 9, 128, 2);
    t.set(base, 100, 3);
    CHECK(t.lookup(base | 5) == 1);
    CHECK(t.lookup(base | 6) == 3);
    CHECK(t.lookup(base | 9) == 2);
    CHECK(t.lookup(base | 4) == 3);
    CHECK(t.lookup(base | (Uint128(1) << 40)) == Table::NONE);
}

TEST_CASE("prefix table: every leaf size answers each interval edge like a linear scan") {
    // One root slot filled one prefix at a time up to a full leaf and beyond (a table): after
    // each insert, every prefix's first and last address and their neighbours are looked up
    // and compared with the longest match found by scanning all prefixes. IPv6 keys share
    // their first 48 bits now and then, so starts tie on the 32 bits the leaf searches.
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    PrefixTable<Uint128> t;
    std::vector<std::pair<Uint128, unsigned>> prefixes;
    constexpr unsigned ROOT = PrefixTable<Uint128>::ROOT_BITS;
    const Uint128 slot = Uint128(0xfd00123400000000ull) << 64;
    auto mask = [](unsigned len) { return len == 0 ? Uint128(0) : ~Uint128(0) << (128 - len); };
    auto linear = [&](Uint128 a) {
        Table::Value best = Table::NONE;
        unsigned best_len = 0;
        for (std::size_t i = 0; i < prefixes.size(); ++i)
            if ((a & mask(prefixes[i].second)) == prefixes[i].first &&
                prefixes[i].second >= best_len) {
                best_len = prefixes[i].second;
                best = Table::Value(i);
            }
        return best;
    };
    for (std::size_t n = 0; n < 2 * PrefixTable<Uint128>::LEAF_ITEMS; ++n) {
        unsigned len = ROOT + 1 + unsigned(next() % (128 - ROOT));
        Uint128 low = Uint128(next()) << 64 | next();
        if (n % 3 == 0) // the same 48 bits as the first prefix: a tie on the searched bits
            low = (prefixes.empty() ? low : prefixes[0].first) | (Uint128(next()) & 0xffffffff);
        Uint128 key = (slot | (low & ~mask(ROOT))) & mask(len);
        bool dup = false;
        for (auto& p : prefixes)
            dup = dup || (p.first == key && p.second == len);
        if (dup)
            continue;
        prefixes.emplace_back(key, len);
        t.set(key, len, Table::Value(prefixes.size() - 1));
        for (auto& [k, l] : prefixes) {
            Uint128 last = k | ~mask(l);
            for (Uint128 a : {k, k - 1, k + 1, last, last - 1, last + 1}) {
                if ((a & mask(ROOT)) != slot)
                    continue;
                CAPTURE(n);
                CHECK(t.lookup(a) == linear(a));
            }
        }
    }
}

TEST_CASE("prefix table: the slot summary skips only parts with no longer prefix") {
    // Below 10.1.0/20 (a root slot), each summary bit is a /25. A /23 covers four bits, a /25
    // one, a /30 part of one; addresses in the other parts take the slot's own prefix.
    static_assert(Table::ROOT_BITS == 20, "the addresses below assume a /20 root slot");
    Indexed t;
    t.set(0x0a010000, 20, 1);
    t.set(0x0a010200, 23, 2); // 10.1.2.0/23: parts 4..7
    t.set(0x0a010f80, 25, 3); // 10.1.15.128/25: part 31, the last
    t.set(0x0a010004, 30, 4); // 10.1.0.4/30: inside part 0
    CHECK(t.table.lookup(0x0a010000) == 1);
    CHECK(t.table.lookup(0x0a010004) == 4);
    CHECK(t.table.lookup(0x0a010007) == 4);
    CHECK(t.table.lookup(0x0a010008) == 1);
    CHECK(t.table.lookup(0x0a0101ff) == 1); // last address of part 3
    CHECK(t.table.lookup(0x0a010200) == 2); // first of part 4
    CHECK(t.table.lookup(0x0a0103ff) == 2); // last of part 7
    CHECK(t.table.lookup(0x0a010400) == 1);
    CHECK(t.table.lookup(0x0a010f7f) == 1);
    CHECK(t.table.lookup(0x0a010f80) == 3);
    CHECK(t.table.lookup(0x0a010fff) == 3);
    CHECK(t.table.lookup(0x0a011000) == Table::NONE); // the next root slot
    // Removing a prefix clears its parts; the others keep theirs.
    t.erase(0x0a010200, 23);
    CHECK(t.table.lookup(0x0a010200) == 1);
    CHECK(t.table.lookup(0x0a010f80) == 3);
    CHECK(t.table.lookup(0x0a010005) == 4);
    t.erase(0x0a010004, 30);
    t.erase(0x0a010f80, 25);
    CHECK(t.table.lookup(0x0a010005) == 1);
    CHECK(t.table.lookup(0x0a010f80) == 1);
    // The child is gone; a new prefix below the slot starts a fresh one.
    t.set(0x0a010f80, 32, 5);
    CHECK(t.table.lookup(0x0a010f80) == 5);
    CHECK(t.table.lookup(0x0a010f81) == 1);
}

TEST_CASE("prefix table: a prefix spanning root slots, and tables down to the last bit") {
    // 10.0/15 spans 2^(20-15) root slots; /27../32 below one of them fill a leaf, then a table
    // at /26 whose slots take /27../32 by expansion (the last table ends at bit 32).
    Indexed t;
    t.set(0x0a000000, 15, 1);
    const std::uint32_t base = 0x0a01ffc0; // 10.1.255.192/26, in the last root slot of the /15
    // The first three prefixes of each length in the /26 (a /26 holds only two /27s).
    auto per_length = [](unsigned len) { return std::min(3u, 1u << (len - 26)); };
    std::uint32_t v = 10;
    for (unsigned len = 27; len <= 32; ++len)
        for (std::uint32_t k = 0; k < per_length(len); ++k)
            t.set(base + (k << (32 - len)), len, v++);
    for (std::uint32_t a = 0x0a000000; a < 0x0a020000; a += 0x1000)
        CHECK(t.table.lookup(a) == 1);
    CHECK(t.table.lookup(0x0a020000) == Table::NONE);
    CHECK(t.table.lookup(0x09ffffff) == Table::NONE);
    // Within the /26, the longest of the nested prefixes wins: the k-th /len starts at
    // k << (32 - len).
    auto expect = [&](std::uint32_t a) {
        std::uint32_t best = 1;
        std::uint32_t val = 10;
        for (unsigned len = 27; len <= 32; ++len)
            for (std::uint32_t k = 0; k < per_length(len); ++k, ++val)
                if (((a - base) >> (32 - len)) == k && a >= base)
                    best = val;
        return best;
    };
    for (std::uint32_t a = base - 2; a < base + 64; ++a) // base + 64 leaves the /15
        CHECK(t.table.lookup(a) == expect(a));
    for (unsigned len = 27; len <= 32; ++len)
        for (std::uint32_t k = 0; k < per_length(len); ++k)
            t.erase(base + (k << (32 - len)), len);
    CHECK(t.table.lookup(base) == 1);
    t.erase(0x0a000000, 15);
    CHECK(t.table.lookup(base) == Table::NONE);
}

namespace {

/// Random prefixes crowded into a few root slots (so leaves fill, turn into tables and empty
/// again), inserted and removed at random; after each step, every prefix's edges and some
/// random addresses near them are looked up and compared with a linear scan.
template <typename Key>
void random_against_linear(unsigned min_len, unsigned max_len, std::uint64_t seed) {
    constexpr unsigned BITS = sizeof(Key) * 8;
    std::uint64_t state = seed;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    auto random_key = [&] {
        Key k = Key(next());
        if constexpr (sizeof(Key) > 8)
            k = k << 64 | Key(next());
        return k;
    };
    auto mask = [](unsigned len) { return len == 0 ? Key(0) : Key(~Key(0) << (BITS - len)); };
    // Three root slots, so the leaves under them hold many prefixes.
    constexpr unsigned ROOT = PrefixTable<Key>::ROOT_BITS;
    const Key roots[3] = {random_key() & mask(ROOT), random_key() & mask(ROOT),
                          random_key() & mask(ROOT)};
    PrefixTable<Key> table;
    std::map<std::pair<Key, unsigned>, std::uint32_t> exact;
    auto linear = [&](Key a) {
        std::uint32_t best = PrefixTable<Key>::NONE;
        unsigned best_len = 0;
        bool any = false;
        for (auto& [p, v] : exact)
            if ((a & mask(p.second)) == p.first && (!any || p.second >= best_len)) {
                best_len = p.second;
                best = v;
                any = true;
            }
        return best;
    };
    auto exact_of = [&](Key k, unsigned l) {
        auto it = exact.find({k, l});
        return it == exact.end() ? PrefixTable<Key>::NONE : it->second;
    };
    for (int step = 0; step < 600; ++step) {
        if (exact.size() < 40 && next() % 4 != 0) {
            unsigned len = min_len + unsigned(next() % (max_len - min_len + 1));
            // Mostly below the crowded slots; now and then a short prefix over them, a /0 or a
            // full-length one.
            Key key = (roots[next() % 3] | (random_key() & ~mask(ROOT))) & mask(len);
            if (next() % 16 == 0)
                len = next() % 2 ? 0 : BITS, key = roots[0] & mask(len);
            std::uint32_t v = std::uint32_t(next() % 1000);
            exact[{key, len}] = v;
            table.set(key, len, v);
        } else if (!exact.empty()) {
            auto it = exact.begin();
            std::advance(it, long(next() % exact.size()));
            auto [key, len] = it->first;
            exact.erase(it);
            table.erase(key, len, exact_of);
        }
        for (auto& [p, v] : exact) {
            Key last = p.first | ~mask(p.second);
            for (Key a : {p.first, Key(p.first - 1), Key(p.first + 1), last, Key(last - 1),
                          Key(last + 1), Key(p.first | (random_key() & ~mask(p.second)))}) {
                CAPTURE(step);
                REQUIRE(table.lookup(a) == linear(a));
            }
        }
    }
}

} // namespace

TEST_CASE("prefix table: random inserts and removals in crowded slots agree with a linear scan") {
    SUBCASE("IPv4, /8../32") {
        random_against_linear<std::uint32_t>(8, 32, 0x12345678abcdefull);
    }
    SUBCASE("IPv4, /1../24 (the short table and the root)") {
        random_against_linear<std::uint32_t>(1, 24, 0x5851f42d4c957f2dull);
    }
    SUBCASE("IPv6, /1../24 (the short table and the root)") {
        random_against_linear<Uint128>(1, 24, 0x14057b7ef767814full);
    }
    SUBCASE("IPv4, /21../32 only (below the root)") {
        random_against_linear<std::uint32_t>(21, 32, 0x2545f4914f6cdd1dull);
    }
    SUBCASE("IPv4, /27../32 (tables down to the last bit)") {
        random_against_linear<std::uint32_t>(27, 32, 0x853c49e6748fea9bull);
    }
    SUBCASE("IPv6, /16../128") {
        random_against_linear<Uint128>(16, 128, 0x9e3779b97f4a7c15ull);
    }
    SUBCASE("IPv6, /17../40 (summary runs and tables)") {
        random_against_linear<Uint128>(17, 40, 0xdeadbeefcafef00dull);
    }
    SUBCASE("IPv6, /21../34 (the first tables below the root crowded)") {
        random_against_linear<Uint128>(21, 34, 0x6a09e667f3bcc909ull);
    }
}
