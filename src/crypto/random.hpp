#pragma once
// Randomness is injected so that tests can replay a conversation byte for byte (their
// deterministic sources live in tests/support/).
#include <cstdint>
#include <span>

namespace wgx::crypto {

/// Source of random bytes.
class Random {
  public:
    virtual ~Random() = default;
    virtual void fill(std::span<std::uint8_t> out) = 0;
    std::uint32_t u32();
    /// Uniform in [0, bound).
    std::uint32_t uniform(std::uint32_t bound);
};

/// A CSPRNG seeded from the operating system (OpenSSL RAND_bytes: a DRBG per thread).
class SystemRandom final : public Random {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

} // namespace wgx::crypto
