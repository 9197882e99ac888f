#include <doctest/doctest.h>

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
    // Both /128s sit in one leaf below fd00::/16 and differ only in the last bits.
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
    // One /16 slot filled one prefix at a time up to a full leaf and beyond (a table): after
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
        unsigned len = 17 + unsigned(next() % 112);
        Uint128 low = Uint128(next()) << 64 | next();
        if (n % 3 == 0) // the same 48 bits as the first prefix: a tie on the searched bits
            low = (prefixes.empty() ? low : prefixes[0].first) | (Uint128(next()) & 0xffffffff);
        Uint128 key = (slot | (low & ~mask(16))) & mask(len);
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
                if ((a & mask(16)) != slot)
                    continue;
                CAPTURE(n);
                CHECK(t.lookup(a) == linear(a));
            }
        }
    }
}
