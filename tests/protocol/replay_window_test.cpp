#include <doctest/doctest.h>

#include <set>

#include "crypto/random.hpp"
#include "protocol/replay_window.hpp"
#include "support/fake_random.hpp"

using namespace wgx::protocol;

TEST_CASE("replay window: order, reordering, duplicates, too old") {
    ReplayWindow w;
    CHECK(w.accept(0));
    CHECK_FALSE(w.accept(0));
    CHECK(w.accept(2));
    CHECK(w.accept(1));
    CHECK_FALSE(w.accept(1));
    CHECK(w.accept(10000));
    // Inside the window behind the front: accepted once.
    CHECK(w.accept(10000 - REPLAY_WINDOW_SIZE));
    CHECK_FALSE(w.accept(10000 - REPLAY_WINDOW_SIZE));
    CHECK(w.may_accept(10000 - 5));
    // Older than the window.
    CHECK(w.may_accept(10000 - REPLAY_WINDOW_SIZE - 1) == false);
    CHECK(w.accept(10000 - REPLAY_WINDOW_SIZE + 1));
    CHECK_FALSE(w.accept(3));
    // A jump far ahead clears everything in between.
    CHECK(w.accept(1'000'000));
    CHECK(w.accept(1'000'000 - 64));
    CHECK(w.accept(1'000'000 - 1));
    CHECK_FALSE(w.accept(REJECT_AFTER_MESSAGES));
    CHECK(w.accept(REJECT_AFTER_MESSAGES - 1));
    w.reset();
    CHECK(w.accept(0));
}

TEST_CASE("replay window agrees with a naive model under random reordering") {
    wgx::test::FakeRandom r(11);
    ReplayWindow w;
    std::set<std::uint64_t> seen;
    std::uint64_t next = 0;
    std::uint64_t front = 0;
    for (int i = 0; i < 200000; ++i) {
        // Mostly near the front, sometimes far behind, sometimes jumps ahead.
        std::uint64_t c;
        std::uint32_t pick = r.uniform(100);
        if (pick < 70)
            c = front + r.uniform(100);
        else if (pick < 95)
            c = front > 9000 ? front - r.uniform(9000) : r.uniform(std::uint32_t(front + 1));
        else
            c = front + r.uniform(20000);
        front = std::max(front, c);
        bool expected = !seen.count(c) && !(c + REPLAY_WINDOW_SIZE + 1 < next);
        bool got = w.accept(c);
        REQUIRE(got == expected);
        if (got) {
            seen.insert(c);
            next = std::max(next, c + 1);
        }
        if (seen.size() > 50000) // keep the model small: forget what the window forgot
            seen.erase(seen.begin(), seen.lower_bound(next > 20000 ? next - 20000 : 0));
    }
}
