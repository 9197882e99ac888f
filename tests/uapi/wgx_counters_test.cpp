#include <doctest/doctest.h>

#include <cerrno>

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
    auto text = uapi::encode_wgx_counters({42, 7});
    CHECK(text == "source_not_allowed=42\nnested_too_big=7\nerrno=0\n\n");
    auto back = uapi::decode_wgx_counters(text);
    REQUIRE(back);
    CHECK(back->source_not_allowed == 42);
    CHECK(back->nested_too_big == 7);
    CHECK(uapi::decode_wgx_counters("future_counter=1\nsource_not_allowed=5\nerrno=0\n\n")
              ->source_not_allowed == 5);
    CHECK(uapi::decode_wgx_counters("errno=-22\n\n").error().code == 22);
    CHECK(uapi::decode_wgx_counters("").error().code == EOPNOTSUPP);
    CHECK(uapi::decode_wgx_counters("source_not_allowed=x\nerrno=0\n\n").error().code == EPROTO);
}
