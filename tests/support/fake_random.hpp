#pragma once
// A deterministic Random for tests: the same seed gives the same bytes (splitmix64), so a
// conversation can be replayed exactly. Never linked into the product.
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/random.hpp"

namespace wgx::test {

class FakeRandom final : public crypto::Random {
  public:
    explicit FakeRandom(std::uint64_t seed = 1) : state_(seed) {}
    void fill(std::span<std::uint8_t> out) override {
        for (std::size_t i = 0; i < out.size(); i += 8) {
            std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            z ^= z >> 31;
            for (std::size_t j = 0; j < 8 && i + j < out.size(); ++j)
                out[i + j] = std::uint8_t(z >> (8 * j));
        }
    }

  private:
    std::uint64_t state_;
};

} // namespace wgx::test
