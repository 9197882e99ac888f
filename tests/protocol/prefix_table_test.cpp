#include <doctest/doctest.h>

#include <map>
#include <utility>

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
