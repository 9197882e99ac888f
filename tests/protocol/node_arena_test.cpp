#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <set>
#include <vector>

#include "protocol/node_arena.hpp"

using wgx::protocol::NodeArena;

TEST_CASE("node arena: aligned, disjoint blocks across chunks, reused after free") {
    NodeArena a;
    struct Block {
        unsigned char* p;
        std::size_t size;
    };
    std::vector<Block> blocks;
    // More than two chunks' worth, in every size class pattern the prefix table uses.
    std::size_t total = 0;
    for (std::size_t i = 0; total < 5 * NodeArena::CHUNK_BYTES; ++i) {
        std::size_t size = i % 7 == 0 ? NodeArena::MAX_BYTES : 1 + (i * 37) % 300;
        auto* p = static_cast<unsigned char*>(a.allocate(size));
        CHECK(reinterpret_cast<std::uintptr_t>(p) % 16 == 0);
        std::memset(p, int(i & 0xff), size);
        blocks.push_back({p, size});
        total += size;
    }
    CHECK(a.bytes_mapped() >= 3 * NodeArena::CHUNK_BYTES);
    // Every block kept its own bytes: none overlaps another.
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        CAPTURE(i);
        REQUIRE(blocks[i].p[0] == (i & 0xff));
        REQUIRE(blocks[i].p[blocks[i].size - 1] == (i & 0xff));
    }
    std::size_t in_use = a.bytes_in_use();
    CHECK(in_use >= total);
    // Freed blocks come back before the arena grows (the free lists also hold the unused ends
    // of earlier chunks, so not every block handed out is one just freed).
    std::size_t mapped = a.bytes_mapped();
    std::set<unsigned char*> freed;
    for (std::size_t i = 0; i < blocks.size(); i += 2) {
        a.deallocate(blocks[i].p, blocks[i].size);
        freed.insert(blocks[i].p);
    }
    CHECK(a.bytes_in_use() < in_use);
    std::size_t reused = 0;
    for (std::size_t i = 0; i < blocks.size(); i += 2)
        reused += freed.count(static_cast<unsigned char*>(a.allocate(blocks[i].size)));
    CHECK(reused + 64 >= freed.size());
    CHECK(a.bytes_mapped() == mapped);
    CHECK(a.bytes_in_use() == in_use);
    a.release();
    CHECK(a.bytes_mapped() == 0);
    CHECK(a.bytes_in_use() == 0);
    // Usable again after a release.
    void* p = a.allocate(64);
    CHECK(p != nullptr);
    CHECK(a.bytes_mapped() == NodeArena::CHUNK_BYTES);
}

TEST_CASE("node arena: sizes outside 1..MAX_BYTES are refused") {
    NodeArena a;
    CHECK_THROWS_AS(a.allocate(0), std::bad_alloc);
    CHECK_THROWS_AS(a.allocate(NodeArena::MAX_BYTES + 1), std::bad_alloc);
    CHECK(a.bytes_mapped() == 0);
}
