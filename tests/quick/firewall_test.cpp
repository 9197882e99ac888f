#include <doctest/doctest.h>

#include "quick/firewall.hpp"

using namespace wgx;
using namespace wgx::quick;

TEST_CASE("firewall: the IPv4 ruleset wg-quick feeds nft -f, byte for byte") {
    std::vector<IpAddress> a = {*IpAddress::parse("192.0.2.1"), *IpAddress::parse("192.0.2.9")};
    CHECK(nft_ruleset(AF_INET, "wg0", 51820, a) ==
          "add table ip wg-quick-wg0\n"
          "add chain ip wg-quick-wg0 preraw { type filter hook prerouting priority -300; }\n"
          "add chain ip wg-quick-wg0 premangle { type filter hook prerouting priority -150; }\n"
          "add chain ip wg-quick-wg0 postmangle { type filter hook postrouting priority -150; }\n"
          "add rule ip wg-quick-wg0 preraw iifname != \"wg0\" ip daddr 192.0.2.1 fib saddr type != "
          "local drop\n"
          "add rule ip wg-quick-wg0 preraw iifname != \"wg0\" ip daddr 192.0.2.9 fib saddr type != "
          "local drop\n"
          "add rule ip wg-quick-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark \n"
          "add rule ip wg-quick-wg0 premangle meta l4proto udp meta mark set ct mark \n");
}

TEST_CASE("firewall: the IPv6 ruleset, without addresses") {
    CHECK(nft_ruleset(AF_INET6, "home", 4660, {}) ==
          "add table ip6 wg-quick-home\n"
          "add chain ip6 wg-quick-home preraw { type filter hook prerouting priority -300; }\n"
          "add chain ip6 wg-quick-home premangle { type filter hook prerouting priority -150; }\n"
          "add chain ip6 wg-quick-home postmangle { type filter hook postrouting priority -150; }\n"
          "add rule ip6 wg-quick-home postmangle meta l4proto udp mark 4660 ct mark set mark \n"
          "add rule ip6 wg-quick-home premangle meta l4proto udp meta mark set ct mark \n");
    CHECK(nft_ruleset(AF_INET6, "x", 1, {*IpAddress::parse("fd00::1")})
              .find("preraw iifname != \"x\" ip6 daddr fd00::1 fib saddr type != local drop\n") !=
          std::string::npos);
}

TEST_CASE("firewall: names") {
    CHECK(nft_family(AF_INET) == "ip");
    CHECK(nft_family(AF_INET6) == "ip6");
    CHECK(nft_table_name("wg0") == "wg-quick-wg0");
}
