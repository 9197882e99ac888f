#include <doctest/doctest.h>

#include <vector>

#include "quick/address_pool.hpp"

using namespace wgx;
using wgx::quick::lowest_free_address;

namespace {
IpPrefix P(const char* t) {
    return *IpPrefix::parse(t);
}
std::string lowest(const char* server, std::vector<IpPrefix> taken) {
    auto r = lowest_free_address(P(server), taken);
    return r ? r->to_string() : "error: " + r.error().message;
}
} // namespace

TEST_CASE("the lowest free address skips the network address and the server") {
    CHECK(lowest("192.0.2.1/24", {}) == "192.0.2.2");
    CHECK(lowest("192.0.2.5/24", {}) == "192.0.2.1");
    CHECK(lowest("192.0.2.1/24", {P("192.0.2.2/32"), P("192.0.2.3/32")}) == "192.0.2.4");
    // A gap left by a removed peer is used first.
    CHECK(lowest("192.0.2.1/24", {P("192.0.2.3/32"), P("192.0.2.4/32")}) == "192.0.2.2");
    CHECK(lowest("fd00::1/64", {P("fd00::2/128")}) == "fd00::3");
    CHECK(lowest("fd00::/64", {}) == "fd00::1");
}

TEST_CASE("a peer holding a block inside the subnet takes the whole block") {
    CHECK(lowest("192.0.2.1/24", {P("192.0.2.0/28")}) == "192.0.2.16");
    CHECK(lowest("192.0.2.1/24", {P("192.0.2.2/31"), P("192.0.2.4/30")}) == "192.0.2.8");
}

TEST_CASE("routes as wide as the subnet, and other families, are not assignments") {
    CHECK(lowest("192.0.2.1/24", {P("0.0.0.0/0"), P("192.0.2.0/24"), P("fd00::/8")}) ==
          "192.0.2.2");
    CHECK(lowest("192.0.2.1/24", {P("198.51.100.2/32")}) == "192.0.2.2");
}

TEST_CASE("an exhausted pool and a subnet without a pool are one clear line each") {
    CHECK(lowest("192.0.2.1/30", {P("192.0.2.2/32")}) ==
          "error: no free address left in 192.0.2.0/30: give --address");
    // The broadcast address is never handed out.
    CHECK(lowest("192.0.2.2/30", {P("192.0.2.1/32")}) ==
          "error: no free address left in 192.0.2.0/30: give --address");
    for (const char* s : {"192.0.2.1/32", "192.0.2.0/31", "fd00::1/128", "fd00::/127"})
        CHECK(lowest(s, {}).find("has no pool of client addresses") != std::string::npos);
    CHECK(lowest("fd00::1/126", {P("fd00::2/127")}) ==
          "error: no free address left in fd00::/126: give --address");
}
