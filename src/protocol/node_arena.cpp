#include "protocol/node_arena.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <sys/mman.h>

namespace wgx::protocol {

NodeArena::~NodeArena() {
    release();
}

void NodeArena::release() {
    for (void* c : chunks_)
        munmap(c, CHUNK_BYTES);
    chunks_.clear();
    bump_ = end_ = nullptr;
    for (auto& f : free_)
        f = nullptr;
    in_use_ = 0;
}

void* NodeArena::map_aligned(std::size_t bytes, bool huge) {
    // A huge page must start on a 2 MiB boundary: map one chunk more and trim both ends.
    void* raw = mmap(nullptr, bytes + CHUNK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        throw std::bad_alloc();
    auto start = reinterpret_cast<std::uintptr_t>(raw);
    std::uintptr_t aligned = (start + CHUNK_BYTES - 1) & ~std::uintptr_t(CHUNK_BYTES - 1);
    if (aligned > start)
        munmap(raw, aligned - start);
    std::uintptr_t tail = aligned + bytes;
    if (start + bytes + CHUNK_BYTES > tail)
        munmap(reinterpret_cast<void*>(tail), start + bytes + CHUNK_BYTES - tail);
    void* p = reinterpret_cast<void*>(aligned);
    // Advice only: without THP (or with it off) the memory stays on ordinary pages.
    if (huge)
        madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

void NodeArena::unmap(void* p, std::size_t bytes) {
    munmap(p, bytes);
}

void NodeArena::new_chunk() {
    void* chunk = map_aligned(CHUNK_BYTES, !chunks_.empty());
    chunks_.push_back(chunk);
    bump_ = static_cast<char*>(chunk);
    end_ = bump_ + CHUNK_BYTES;
}

void* NodeArena::allocate(std::size_t bytes) {
    if (bytes == 0 || bytes > MAX_BYTES)
        throw std::bad_alloc();
    std::size_t c = class_of(bytes);
    std::size_t size = (c + 1) * GRAIN;
    in_use_ += size;
    if (FreeNode* f = free_[c]) {
        free_[c] = f->next;
        return f;
    }
    if (std::size_t(end_ - bump_) < size) {
        // The rest of the old chunk goes to the free lists, largest classes first (every size
        // is a multiple of GRAIN, so the rest is too).
        while (std::size_t left = std::size_t(end_ - bump_)) {
            std::size_t pc = class_of(std::min(left, MAX_BYTES));
            auto* node = reinterpret_cast<FreeNode*>(bump_);
            node->next = free_[pc];
            free_[pc] = node;
            bump_ += (pc + 1) * GRAIN;
        }
        new_chunk();
    }
    void* p = bump_;
    bump_ += size;
    return p;
}

void NodeArena::deallocate(void* p, std::size_t bytes) {
    std::size_t c = class_of(bytes);
    in_use_ -= (c + 1) * GRAIN;
    auto* node = static_cast<FreeNode*>(p);
    node->next = free_[c];
    free_[c] = node;
}

} // namespace wgx::protocol
