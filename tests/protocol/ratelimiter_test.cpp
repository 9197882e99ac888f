#include <doctest/doctest.h>

#include "base/bytes.hpp"
#include "protocol/ratelimiter.hpp"

using namespace wgx;
using namespace wgx::protocol;
using namespace std::chrono_literals;

namespace {
IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}
} // namespace

TEST_CASE("rate limiter: burst of 5, then 20 per second, per source") {
    Ratelimiter r;
    MonoTime t(1000s);
    for (int i = 0; i < 5; ++i)
        CHECK(r.allow(ip("192.0.2.1"), t));
    CHECK_FALSE(r.allow(ip("192.0.2.1"), t));
    CHECK(r.allow(ip("192.0.2.2"), t)); // another source has its own bucket
    CHECK_FALSE(r.allow(ip("192.0.2.1"), t + 49ms));
    CHECK(r.allow(ip("192.0.2.1"), t + 50ms + 49ms));
    CHECK_FALSE(r.allow(ip("192.0.2.1"), t + 99ms));
    // A full second refills the burst, no more.
    t += 2s;
    for (int i = 0; i < 5; ++i)
        CHECK(r.allow(ip("192.0.2.1"), t));
    CHECK_FALSE(r.allow(ip("192.0.2.1"), t));
}

TEST_CASE("rate limiter: IPv6 by /64, IPv4-mapped as IPv4") {
    Ratelimiter r;
    MonoTime t(1000s);
    for (int i = 0; i < 5; ++i)
        CHECK(r.allow(ip(i % 2 ? "fd00:1:2:3::1" : "fd00:1:2:3:ffff::9"), t));
    CHECK_FALSE(r.allow(ip("fd00:1:2:3::77"), t));
    CHECK(r.allow(ip("fd00:1:2:4::1"), t));
    for (int i = 0; i < 5; ++i)
        CHECK(r.allow(ip("192.0.2.9"), t));
    CHECK_FALSE(r.allow(ip("::ffff:192.0.2.9"), t));
}

TEST_CASE("rate limiter: memory bounded, idle entries forgotten") {
    Ratelimiter r;
    MonoTime t(1000s);
    std::uint8_t a[4] = {10, 0, 0, 0};
    for (std::uint32_t i = 0; i < Ratelimiter::MAX_ENTRIES; ++i) {
        store_be32(a, 0x0a000000u + i);
        REQUIRE(r.allow(IpAddress::v4(a), t));
    }
    CHECK(r.size() == Ratelimiter::MAX_ENTRIES);
    CHECK_FALSE(r.allow(ip("198.51.100.1"), t)); // a new source is refused, not remembered
    CHECK(r.size() == Ratelimiter::MAX_ENTRIES);
    CHECK(r.allow(ip("10.0.0.1"), t)); // known ones still have their buckets
    t += 3s;
    CHECK(r.allow(ip("198.51.100.1"), t));
    CHECK(r.size() == 1);
}
