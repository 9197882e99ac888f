#include <doctest/doctest.h>

#include <map>

#include "quick/mtu.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
/// Routes and links of a pretend host.
class FakeLookup : public RouteLookup {
  public:
    std::map<std::string, netlink::RouteEntry> routes; // by destination address text
    std::optional<netlink::RouteEntry> default_route;
    std::map<int, unsigned> links;
    int asked = 0;

    std::optional<netlink::RouteEntry> route_to(const IpAddress& a) override {
        ++asked;
        auto it = routes.find(a.to_string());
        if (it == routes.end())
            return std::nullopt;
        return it->second;
    }
    std::optional<netlink::RouteEntry> first_default_route() override { return default_route; }
    std::optional<unsigned> link_mtu(int ifindex) override {
        auto it = links.find(ifindex);
        if (it == links.end())
            return std::nullopt;
        return it->second;
    }
};
netlink::RouteEntry via(int oif, std::optional<unsigned> mtu = std::nullopt) {
    netlink::RouteEntry e;
    e.oif = oif;
    e.mtu = mtu;
    return e;
}
Endpoint ep(const char* s) {
    return *Endpoint::parse(s);
}
} // namespace

TEST_CASE("mtu: nothing known gives 1500 - 80") {
    FakeLookup l;
    CHECK(automatic_mtu({}, l) == 1420u);
}

TEST_CASE("mtu: the default route's device when no endpoint has a route") {
    FakeLookup l;
    l.links[2] = 9000;
    l.default_route = via(2);
    CHECK(automatic_mtu({ep("192.0.2.1:51820")}, l) == 8920u);
    l.default_route = via(2, 1400); // a route mtu wins over the device's
    CHECK(automatic_mtu({}, l) == 1320u);
}

TEST_CASE("mtu: the largest over the endpoints' routes, route mtu before device mtu") {
    FakeLookup l;
    l.links = {{2, 1500}, {3, 9000}, {4, 1600}};
    l.default_route = via(3);
    l.routes["192.0.2.1"] = via(2);
    l.routes["198.51.100.1"] = via(3, 1280); // a route mtu hides the 9000 of its device
    l.routes["fd00::1"] = via(4);
    CHECK(automatic_mtu({ep("192.0.2.1:1"), ep("198.51.100.1:2"), ep("[fd00::1]:3")}, l) == 1520u);
    CHECK(automatic_mtu({ep("198.51.100.1:2")}, l) == 1200u);
    // An endpoint route gave an answer: the default route is not consulted.
    CHECK(automatic_mtu({ep("192.0.2.1:1")}, l) == 1420u);
}

TEST_CASE("mtu: scoped IPv6 endpoints are skipped as wg-quick's pattern skips them") {
    FakeLookup l;
    l.links[1] = 65536;
    l.routes["fe80::1"] = via(1);
    Endpoint e = ep("[fe80::1]:51820");
    reinterpret_cast<sockaddr_in6*>(&e.storage)->sin6_scope_id = 1;
    CHECK(automatic_mtu({e}, l) == 1420u);
    CHECK(l.asked == 0);
}
