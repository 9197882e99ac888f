// rtnetlink against the real kernel, inside a private network namespace of this test process
// (root only; elsewhere each case reports itself skipped, with the reason, and checks nothing).
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if.h>

#include "netlink/address.hpp"
#include "netlink/link.hpp"
#include "netlink/route.hpp"
#include "netlink/rule.hpp"
#include "netlink/sysctl.hpp"
#include "support/skip.hpp"

using namespace wgx;
using namespace wgx::netlink;

namespace {

/// Moves the process into a fresh network namespace once; false (after reporting the test case
/// as skipped, with the reason) when that is not allowed here.
bool in_private_netns() {
    static const std::string why_not = []() -> std::string {
        if (::geteuid() != 0)
            return "needs root to create a network namespace";
        if (::unshare(CLONE_NEWNET) != 0)
            return std::string("unshare(CLONE_NEWNET) failed: ") + std::strerror(errno);
        return {};
    }();
    if (!why_not.empty())
        test::skip(why_not);
    return why_not.empty();
}

IpPrefix pfx(const char* s) {
    return *IpPrefix::parse(s);
}

Socket open_up_loopback() {
    auto sock = Socket::open();
    REQUIRE(sock);
    auto r = set_link_mtu_up(*sock, 1, 65536);
    REQUIRE(r);
    return std::move(*sock);
}

} // namespace

TEST_CASE("sysctl: names map to /proc/sys paths") {
    CHECK(sysctl_path("net.ipv4.conf.all.src_valid_mark") ==
          "/proc/sys/net/ipv4/conf/all/src_valid_mark");
}

TEST_CASE("link: find, MTU and up, missing devices") {
    if (!in_private_netns())
        return;
    Socket sock = open_up_loopback();
    auto lo = find_link(sock, "lo");
    REQUIRE(lo);
    REQUIRE(*lo);
    CHECK((*lo)->index == 1);
    CHECK(((*lo)->flags & IFF_UP) != 0);
    REQUIRE(set_link_mtu_up(sock, 1, 1500));
    CHECK((*find_link(sock, 1))->mtu == 1500u);
    REQUIRE(set_link_mtu_up(sock, 1, 65536));

    auto none = find_link(sock, "wgx-nothere");
    REQUIRE(none);
    CHECK_FALSE(*none);
    auto del = delete_link(sock, "wgx-nothere");
    REQUIRE_FALSE(del);
    CHECK(del.error().code == ENODEV);
    CHECK(del.error().message == "RTNETLINK answers: No such device");

    struct stat st;
    if (::stat("/sys/module/wireguard", &st) != 0) {
        auto wg = create_wireguard_link(sock, "wgxtest0");
        REQUIRE_FALSE(wg);
        CHECK(wg.error().code == EOPNOTSUPP);
    }
}

TEST_CASE("address: add, list in kernel order, refuse duplicates") {
    if (!in_private_netns())
        return;
    Socket sock = open_up_loopback();
    REQUIRE(add_address(sock, 1, pfx("192.0.2.1/24")));
    REQUIRE(add_address(sock, 1, pfx("fd00::1/64")));
    REQUIRE(add_address(sock, 1, pfx("198.51.100.7/32")));
    auto dup = add_address(sock, 1, pfx("192.0.2.1/24"));
    REQUIRE_FALSE(dup);
    CHECK(dup.error().message == "RTNETLINK answers: File exists");

    auto all = list_addresses(sock, 1, AF_UNSPEC);
    REQUIRE(all);
    auto at = [&](const char* s) {
        return std::find(all->begin(), all->end(), pfx(s)) - all->begin();
    };
    CHECK(at("192.0.2.1/24") < at("198.51.100.7/32")); // kernel order within a family
    CHECK(at("198.51.100.7/32") < at("fd00::1/64"));   // IPv4 before IPv6
    CHECK(std::size_t(at("fd00::1/64")) < all->size());
    auto v6 = list_addresses(sock, 1, AF_INET6);
    REQUIRE(v6);
    CHECK(std::find(v6->begin(), v6->end(), pfx("192.0.2.1/24")) == v6->end());

    REQUIRE(delete_address(sock, 1, pfx("198.51.100.7/32")));
    all = list_addresses(sock, 1, AF_INET);
    CHECK(std::find(all->begin(), all->end(), pfx("198.51.100.7/32")) == all->end());
}

TEST_CASE("route: add to a table, list, look up, delete") {
    if (!in_private_netns())
        return;
    Socket sock = open_up_loopback();
    (void)add_address(sock, 1, pfx("192.0.2.1/24"));
    RouteSpec spec{pfx("203.0.113.0/24"), 1, 1234};
    REQUIRE(add_route(sock, spec));
    REQUIRE_FALSE(add_route(sock, spec));
    auto routes = list_routes(sock, AF_INET);
    REQUIRE(routes);
    auto found = std::find_if(routes->begin(), routes->end(), [](const RouteEntry& e) {
        return e.table == 1234 && e.destination == pfx("203.0.113.0/24");
    });
    REQUIRE(found != routes->end());
    CHECK(found->oif == 1);

    RouteSpec six{pfx("fd00:9::/64"), 1, 254};
    REQUIRE(add_route(sock, six));
    auto r6 = list_routes(sock, AF_INET6);
    REQUIRE(r6);
    CHECK(std::any_of(r6->begin(), r6->end(), [](const RouteEntry& e) {
        return e.table == 254 && e.destination == pfx("fd00:9::/64") && e.oif == 1;
    }));

    auto via = get_route(sock, *IpAddress::parse("192.0.2.77"));
    REQUIRE(via);
    REQUIRE(*via);
    CHECK((*via)->oif == 1);
    auto nowhere = get_route(sock, *IpAddress::parse("198.51.100.1"));
    REQUIRE(nowhere);
    CHECK_FALSE(*nowhere);

    REQUIRE(delete_route(sock, spec));
    routes = list_routes(sock, AF_INET);
    CHECK(std::none_of(routes->begin(), routes->end(),
                       [](const RouteEntry& e) { return e.table == 1234; }));
}

TEST_CASE("rule: wg-quick's two rules, listed with their fields, deleted exactly") {
    if (!in_private_netns())
        return;
    Socket sock = open_up_loopback();
    for (int family : {AF_INET, AF_INET6}) {
        RuleSpec marked{family, 51820, 51820u, true, std::nullopt};
        RuleSpec suppress{family, 254, std::nullopt, false, 0u};
        REQUIRE(add_rule(sock, marked));
        REQUIRE(add_rule(sock, suppress));
        auto rules = list_rules(sock, family);
        REQUIRE(rules);
        auto has = [&](const RuleSpec& s) {
            return std::any_of(rules->begin(), rules->end(), [&](const RuleEntry& e) {
                return e.spec == s && !e.other_selectors;
            });
        };
        CHECK(has(marked));
        CHECK(has(suppress));
        REQUIRE(delete_rule(sock, marked));
        REQUIRE(delete_rule(sock, suppress));
        rules = list_rules(sock, family);
        REQUIRE(rules);
        CHECK_FALSE(has(marked));
        CHECK_FALSE(has(suppress));
        // The default main rule is still there.
        CHECK(std::any_of(rules->begin(), rules->end(), [](const RuleEntry& e) {
            return e.spec.table == 254 && !e.spec.suppress_prefixlength;
        }));
    }
}

TEST_CASE("sysctl: read and write in the namespace") {
    if (!in_private_netns())
        return;
    const std::string key = "net.ipv4.conf.all.src_valid_mark";
    auto old = read_sysctl(key);
    REQUIRE(old);
    REQUIRE(write_sysctl(key, "1"));
    CHECK(*read_sysctl(key) == "1");
    REQUIRE(write_sysctl(key, *old));
    CHECK(*read_sysctl(key) == *old);
    CHECK_FALSE(read_sysctl("net.nothing.here"));
}
