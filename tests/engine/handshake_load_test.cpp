#include <doctest/doctest.h>

#include "engine/handshake_load.hpp"

using namespace wgx::engine;
using namespace std::chrono_literals;

TEST_CASE("a handshake flood puts the device under load for a second") {
    HandshakeLoad load;
    wgx::MonoTime t0 = wgx::MonoTime{} + 100s;
    for (unsigned i = 0; i + 1 < HandshakeLoad::THRESHOLD; ++i)
        load.on_handshake_message(t0 + 1ms * i / 10);
    CHECK_FALSE(load.under_load(t0 + 20ms));
    load.on_handshake_message(t0 + 20ms);
    CHECK(load.under_load(t0 + 20ms));
    CHECK(load.under_load(t0 + 1019ms));
    CHECK_FALSE(load.under_load(t0 + 1021ms));
}

TEST_CASE("a steady trickle of handshakes never counts as load") {
    HandshakeLoad load;
    wgx::MonoTime t = wgx::MonoTime{} + 100s;
    for (int i = 0; i < 10000; ++i) {
        t += 2ms; // 500 per second
        load.on_handshake_message(t);
        REQUIRE_FALSE(load.under_load(t));
    }
}
