#pragma once
// Randomness is injected so that tests can replay a conversation byte for byte.
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

/// The operating system's CSPRNG (libsodium randombytes).
class SystemRandom final : public Random {
  public:
    void fill(std::span<std::uint8_t> out) override;
};

/// Deterministic stream for tests: the same seed gives the same bytes (splitmix64).
class FakeRandom final : public Random {
  public:
    explicit FakeRandom(std::uint64_t seed = 1) : state_(seed) {}
    void fill(std::span<std::uint8_t> out) override;

  private:
    std::uint64_t state_;
};

} // namespace wgx::crypto
