#include <doctest/doctest.h>

#include <sstream>

#include "quick/dns.hpp"

using namespace wgx::quick;

TEST_CASE("dns: the interface-order prefix") {
    std::istringstream debian(
        "# "
        "interface-order(5)\nlo.inet6\nlo.inet\nlo.@(dnsmasq|pdnsd)\nlo.!(pdns|pdns-recursor)"
        "\nlo\ntun*\ntap*\nhso*\nem+([0-9])?(_+([0-9]))*\n*\n");
    CHECK(resolvconf_prefix(debian) == "tun.");
    std::istringstream none("lo\neth*x\n*\n");
    CHECK(resolvconf_prefix(none) == "");
    std::istringstream spaced("  wg-x*  \n");
    CHECK(resolvconf_prefix(spaced) == "wg-x.");
    std::istringstream empty("");
    CHECK(resolvconf_prefix(empty) == "");
}

TEST_CASE("dns: what resolvconf -a is fed") {
    CHECK(resolvconf_input({"192.0.2.53", "fd00::53"}, {}) ==
          "nameserver 192.0.2.53\nnameserver fd00::53\n");
    CHECK(resolvconf_input({"192.0.2.53"}, {"a.test", "b.test"}) ==
          "nameserver 192.0.2.53\nsearch a.test b.test\n");
}

TEST_CASE("dns: save keeps the nameserver lines only") {
    CHECK(saved_nameservers("nameserver 192.0.2.53\nsearch a.test\n  nameserver fd00::53%eth0 \n"
                            "nameserver bad/char\nnameserver\n") ==
          std::vector<std::string>{"192.0.2.53", "fd00::53%eth0"});
}
