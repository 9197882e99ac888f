#pragma once
// Memory for the prefix table's nodes (src/protocol/prefix_table.hpp): what a lookup reads.
//
// With a million prefixes, nearly every lookup of a random address reads a node that is not in
// any cache, and with 4 KiB pages its page-table entry is not in the TLB either: the page walk
// doubles the wait, and more so in a virtual machine. The arena carves nodes out of 2 MiB
// chunks that the kernel may back with transparent huge pages (madvise(MADV_HUGEPAGE), which
// also works when THP is in "madvise" mode), so a few hundred TLB entries cover the whole
// table. The first chunk stays on ordinary pages: a table of a handful of prefixes touches a
// few of them rather than a 2 MiB page, which keeps an idle device small.
//
// Sizes come in classes of 16 bytes up to MAX_BYTES; freed nodes go to a free list per class.
#include <cstddef>
#include <vector>

namespace wgx::protocol {

class NodeArena {
  public:
    static constexpr std::size_t CHUNK_BYTES = std::size_t(2) << 20;
    static constexpr std::size_t GRAIN = 16;
    static constexpr std::size_t MAX_BYTES = 4096;

    NodeArena() = default;
    ~NodeArena();
    NodeArena(const NodeArena&) = delete;
    NodeArena& operator=(const NodeArena&) = delete;

    /// `bytes` (1..MAX_BYTES) of uninitialised memory, 16-byte aligned. Throws std::bad_alloc.
    void* allocate(std::size_t bytes);
    /// Returns what allocate(`bytes`) gave.
    void deallocate(void* p, std::size_t bytes);
    /// Returns every chunk to the system (every node is forgotten).
    void release();

    /// `bytes` (a multiple of CHUNK_BYTES) of zeroed memory on a CHUNK_BYTES boundary, mapped
    /// lazily; with `huge`, advised for transparent huge pages. Throws std::bad_alloc.
    static void* map_aligned(std::size_t bytes, bool huge);
    static void unmap(void* p, std::size_t bytes);

    /// Bytes handed out and not returned, rounded up to their classes.
    std::size_t bytes_in_use() const { return in_use_; }
    /// Bytes mapped in chunks.
    std::size_t bytes_mapped() const { return chunks_.size() * CHUNK_BYTES; }

  private:
    static constexpr std::size_t CLASSES = MAX_BYTES / GRAIN;
    struct FreeNode {
        FreeNode* next;
    };
    static std::size_t class_of(std::size_t bytes) { return (bytes + GRAIN - 1) / GRAIN - 1; }
    void new_chunk();

    std::vector<void*> chunks_;
    char* bump_ = nullptr;
    char* end_ = nullptr;
    FreeNode* free_[CLASSES] = {};
    std::size_t in_use_ = 0;
};

} // namespace wgx::protocol
