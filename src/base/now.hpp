#pragma once
// Time as a value. Only the engine's loop and the CLI read clocks; everything else is handed `Now`.
#include <chrono>

namespace wgx {

using MonoClock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;
using MonoTime = MonoClock::time_point;
using WallTime = WallClock::time_point;

/// The two clocks the protocol needs: monotonic for timers, wall for TAI64N timestamps.
struct Now {
    MonoTime monotonic{};
    WallTime wall{};
};

} // namespace wgx
