#include <doctest/doctest.h>

#include <array>
#include <cerrno>
#include <string>

#include "uapi/server.hpp"
#include "uapi/wgx_counters.hpp"

using namespace wgx;
using Kind = uapi::ServerEvent::Kind;

TEST_CASE("wgx_counters=1 is its own request, between gets, and get stays get") {
    uapi::RequestParser p;
    p.feed("get=1\n\n");
    p.feed(uapi::WGX_COUNTERS_REQUEST);
    p.feed("get=1\n\n");
    std::vector<Kind> kinds;
    while (auto e = p.next())
        kinds.push_back(e->kind);
    CHECK(kinds == std::vector<Kind>{Kind::get, Kind::wgx_counters, Kind::get});
}

TEST_CASE("the counters reply round-trips - errors and silence are told apart") {
    auto text = uapi::encode_wgx_counters({42, 7, {}});
    CHECK(text == "source_not_allowed=42\nnested_too_big=7\nerrno=0\n\n");
    auto back = uapi::decode_wgx_counters(text);
    REQUIRE(back);
    CHECK(back->source_not_allowed == 42);
    CHECK(back->nested_too_big == 7);
    CHECK(back->peers.empty());
    CHECK(uapi::decode_wgx_counters("future_counter=1\nsource_not_allowed=5\nerrno=0\n\n")
              ->source_not_allowed == 5);
    CHECK(uapi::decode_wgx_counters("errno=-22\n\n").error().code == 22);
    CHECK(uapi::decode_wgx_counters("").error().code == EOPNOTSUPP);
    CHECK(uapi::decode_wgx_counters("source_not_allowed=x\nerrno=0\n\n").error().code == EPROTO);
}

TEST_CASE("per-peer counters follow the device's, one section per public key") {
    std::array<std::uint8_t, 32> one{}, two{};
    one.fill(0x11);
    two.fill(0xab);
    uapi::WgxCounters c{7, 0, {{crypto::Key(one), 5}, {crypto::Key(two), 2}}};
    auto text = uapi::encode_wgx_counters(c);
    std::string hex_two;
    for (int i = 0; i < 32; ++i)
        hex_two += "ab";
    CHECK(text == "source_not_allowed=7\nnested_too_big=0\npublic_key=" + std::string(64, '1') +
                      "\nsource_not_allowed=5\npublic_key=" + hex_two +
                      "\nsource_not_allowed=2\nerrno=0\n\n");
    auto back = uapi::decode_wgx_counters(text);
    REQUIRE(back);
    CHECK(back->source_not_allowed == 7);
    REQUIRE(back->peers.size() == 2);
    CHECK(back->peers[0].public_key == crypto::Key(one));
    CHECK(back->peers[0].source_not_allowed == 5);
    CHECK(back->peers[1].public_key == crypto::Key(two));
    CHECK(back->peers[1].source_not_allowed == 2);
    // A key that is not 64 hex digits is a protocol error, not a peer.
    CHECK(uapi::decode_wgx_counters("public_key=zz\nsource_not_allowed=1\nerrno=0\n\n")
              .error()
              .code == EPROTO);
}
