#include <doctest/doctest.h>

#include <vector>

#include "config/excluded_ips.hpp"

using namespace wgx;

namespace {
std::vector<IpPrefix> prefixes(std::initializer_list<const char*> texts) {
    std::vector<IpPrefix> out;
    for (const char* t : texts)
        out.push_back(*IpPrefix::parse(t));
    return out;
}

std::string subtract(std::initializer_list<const char*> allowed,
                     std::initializer_list<const char*> excluded) {
    auto a = prefixes(allowed), e = prefixes(excluded);
    return config::join_prefixes(config::subtract_prefixes(a, e));
}
} // namespace

TEST_CASE("a range cut out of the whole IPv4 space leaves one prefix per bit") {
    CHECK(subtract({"0.0.0.0/0"}, {"128.0.0.0/1"}) == "0.0.0.0/1");
    CHECK(subtract({"0.0.0.0/0"}, {"192.0.2.0/24"}) ==
          "0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/23, 192.0.3.0/24, 192.0.4.0/22, 192.0.8.0/21, "
          "192.0.16.0/20, 192.0.32.0/19, 192.0.64.0/18, 192.0.128.0/17, 192.1.0.0/16, "
          "192.2.0.0/15, 192.4.0.0/14, 192.8.0.0/13, 192.16.0.0/12, 192.32.0.0/11, "
          "192.64.0.0/10, 192.128.0.0/9, 193.0.0.0/8, 194.0.0.0/7, 196.0.0.0/6, 200.0.0.0/5, "
          "208.0.0.0/4, 224.0.0.0/3");
}

TEST_CASE("exclusions that cover everything, nothing, or another family") {
    CHECK(subtract({"192.0.2.0/24"}, {"192.0.0.0/16"}).empty());
    CHECK(subtract({"192.0.2.0/24"}, {"198.51.100.0/24"}) == "192.0.2.0/24");
    CHECK(subtract({"192.0.2.0/24", "fd00::/8"}, {"fd00::/9"}) == "192.0.2.0/24, fd80::/9");
    CHECK(subtract({"192.0.2.7/32"}, {"192.0.2.7/32"}).empty());
    CHECK(subtract({}, {"192.0.2.0/24"}).empty());
}

TEST_CASE("siblings and overlaps merge into the fewest prefixes") {
    CHECK(subtract({"192.0.2.0/25", "192.0.2.128/25"}, {}) == "192.0.2.0/24");
    CHECK(subtract({"192.0.2.0/24", "192.0.2.64/26", "192.0.2.1/32"}, {}) == "192.0.2.0/24");
    CHECK(subtract({"192.0.2.9/24"}, {"192.0.2.130/25"}) == "192.0.2.0/25");
    CHECK(subtract({"::/0"}, {"::/1"}) == "8000::/1");
}

TEST_CASE("a single host cut out of an IPv6 /126") {
    CHECK(subtract({"fd00::/126"}, {"fd00::2/128"}) == "fd00::/127, fd00::3/128");
}
