#pragma once
// The benchmarks time work by this thread's CPU clock, not the wall: the machine is shared, and
// time spent waiting for a core is not time the code took.
#include <chrono>
#include <ctime>

namespace wgx::bench {

struct CpuClock {
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<CpuClock>;
    static constexpr bool is_steady = true;
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(std::chrono::seconds(ts.tv_sec) + duration(ts.tv_nsec)));
    }
};

} // namespace wgx::bench
