#include "crypto/kernel_random.hpp"

#include <sodium.h>

namespace wgx::crypto {

void KernelRandom::fill(std::span<std::uint8_t> out) {
    // libsodium's default source on Linux is getrandom(2), blocking until the kernel's pool is
    // seeded; it aborts the process itself if the kernel cannot deliver.
    randombytes_buf(out.data(), out.size());
}

} // namespace wgx::crypto
