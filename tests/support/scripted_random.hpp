#pragma once
// A Random that hands out exactly the bytes a test scripted (fixed ephemerals, nonces,
// secrets), then falls back to a deterministic stream and counts the overrun.
#include <cstdint>
#include <cstring>
#include <deque>
#include <span>
#include <string>

#include "base/bytes.hpp"
#include "crypto/random.hpp"
#include "support/fake_random.hpp"
#include "support/hex_text.hpp"

namespace wgx::test {

class ScriptedRandom final : public crypto::Random {
  public:
    void script(ByteView bytes) { queue_.insert(queue_.end(), bytes.begin(), bytes.end()); }
    void fill(std::span<std::uint8_t> out) override {
        for (auto& b : out) {
            if (queue_.empty()) {
                ++overrun_;
                std::uint8_t x;
                fallback_.fill(std::span(&x, 1));
                b = x;
            } else {
                b = queue_.front();
                queue_.pop_front();
            }
        }
    }
    std::size_t remaining() const { return queue_.size(); }
    std::size_t overrun() const { return overrun_; }

  private:
    std::deque<std::uint8_t> queue_;
    std::size_t overrun_ = 0;
    test::FakeRandom fallback_{42};
};

} // namespace wgx::test
