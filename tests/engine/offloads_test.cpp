#include <doctest/doctest.h>

#include "engine/offloads.hpp"

using namespace wgx::engine;

TEST_CASE("offloads: everything on by default, each name switches one off") {
    auto all = parse_disabled_offloads("");
    REQUIRE(all);
    CHECK(all->tun_vnet);
    CHECK(all->tun_uso);
    CHECK(all->udp_gso);
    CHECK(all->udp_gro);
    CHECK(all->mmsg);
    CHECK(all->describe() == "tun-vnet,tun-uso,udp-gso,udp-gro,mmsg,io-thread");

    auto some = parse_disabled_offloads("udp-gso,,tun-uso");
    REQUIRE(some);
    CHECK_FALSE(some->udp_gso);
    CHECK_FALSE(some->tun_uso);
    CHECK(some->udp_gro);
    CHECK(some->describe() == "tun-vnet,udp-gro,mmsg,io-thread");

    auto none = parse_disabled_offloads("all");
    REQUIRE(none);
    CHECK(none->describe() == "none");
}

TEST_CASE("offloads: an unknown name is an error that names it") {
    auto bad = parse_disabled_offloads("udp-gso,tso");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'tso'") != std::string::npos);
}

TEST_CASE("offloads: the crypto worker count is a number from 1 to the limit") {
    auto three = parse_crypto_workers("3", 15);
    REQUIRE(three);
    CHECK(*three == 3);
    CHECK(*parse_crypto_workers("15", 15) == 15);
    for (const char* bad : {"0", "16", "-1", "2x", " 2", ""}) {
        auto r = parse_crypto_workers(bad, 15);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("WGX_ENGINE_CRYPTO_WORKERS") != std::string::npos);
        CHECK(r.error().message.find(std::string("'") + bad + "'") != std::string::npos);
    }
}
