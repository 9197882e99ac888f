#pragma once
// A virtual clock for unit tests: both clocks move only when the test says so.
#include <chrono>

#include "base/now.hpp"

namespace wgx::test {

class FakeClock {
  public:
    /// Starts at an arbitrary monotonic origin and 2026-01-01T00:00:00Z.
    FakeClock()
        : now_{MonoTime(std::chrono::hours(1000)), WallTime(std::chrono::seconds(1767225600))} {}

    const Now& now() const { return now_; }
    /// Moves both clocks forward by `d`.
    template <typename Rep, typename Period>
    void advance(std::chrono::duration<Rep, Period> d) {
        auto step = std::chrono::duration_cast<MonoClock::duration>(d);
        now_.monotonic += step;
        now_.wall += std::chrono::duration_cast<WallClock::duration>(step);
    }
    /// Moves to monotonic time `t` (never backwards).
    void advance_to(MonoTime t) {
        if (t > now_.monotonic)
            advance(t - now_.monotonic);
    }

  private:
    Now now_;
};

} // namespace wgx::test
