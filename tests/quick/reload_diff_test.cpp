#include <doctest/doctest.h>

#include "config/excluded_ips.hpp"
#include "quick/reload_diff.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
std::vector<IpPrefix> P(std::initializer_list<const char*> texts) {
    std::vector<IpPrefix> out;
    for (const char* t : texts)
        out.push_back(*IpPrefix::parse(t));
    return out;
}
std::string S(const std::vector<IpPrefix>& v) {
    return config::join_prefixes(v);
}
} // namespace

TEST_CASE("nothing differs: nothing to do") {
    LiveLink live{P({"192.0.2.1/24", "fe80::1/64"}), 1420,
                  P({"192.0.2.0/24", "fe80::/64", "198.51.100.0/24"})};
    DesiredLink desired{P({"192.0.2.1/24"}), 1420, P({"198.51.100.0/24", "192.0.2.7/32"})};
    auto d = diff_link(live, desired);
    CHECK(d.add_addresses.empty());
    CHECK(d.delete_addresses.empty());
    CHECK_FALSE(d.mtu);
    CHECK(d.add_routes.empty()); // 192.0.2.7/32 is covered by the address's subnet route
    CHECK(d.delete_routes.empty());
}

TEST_CASE("an added address, a changed MTU, a new and a dropped route") {
    LiveLink live{P({"192.0.2.1/24", "fd00::1/64"}), 1420,
                  P({"192.0.2.0/24", "fd00::/64", "198.51.100.0/24", "203.0.113.0/25"})};
    DesiredLink desired{P({"192.0.2.1/24", "192.0.2.200/32"}), 1380,
                        P({"198.51.100.0/24", "203.0.113.128/25", "fd00:9::/64"})};
    auto d = diff_link(live, desired);
    CHECK(S(d.add_addresses) == "192.0.2.200/32");
    CHECK(S(d.delete_addresses) == "fd00::1/64");
    REQUIRE(d.mtu);
    CHECK(*d.mtu == 1380);
    CHECK(S(d.add_routes) == "203.0.113.128/25, fd00:9::/64");
    // fd00::/64 is the kernel's route for the address going away: it goes with it.
    CHECK(S(d.delete_routes) == "203.0.113.0/25");
}

TEST_CASE("an address whose prefix length changed is replaced") {
    LiveLink live{P({"192.0.2.1/24"}), 1420, P({"192.0.2.0/24"})};
    DesiredLink desired{P({"192.0.2.1/25"}), 1420, {}};
    auto d = diff_link(live, desired);
    CHECK(S(d.add_addresses) == "192.0.2.1/25");
    CHECK(S(d.delete_addresses) == "192.0.2.1/24");
    CHECK(d.delete_routes.empty());
}
