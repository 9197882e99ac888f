#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <string>

#include "base/ip.hpp"

using namespace wgx;

TEST_CASE("IP addresses parse and format") {
    CHECK(IpAddress::parse("192.0.2.1")->to_string() == "192.0.2.1");
    CHECK(IpAddress::parse("fd00:0:0::1")->to_string() == "fd00::1");
    CHECK_FALSE(IpAddress::parse("192.0.2.256"));
    CHECK_FALSE(IpAddress::parse(""));
    CHECK_FALSE(IpAddress::parse("fd00::1::2"));
    CHECK_FALSE(IpAddress::parse("example.com"));
}

TEST_CASE("prefixes: default length, range checks and masking") {
    auto p = IpPrefix::parse("192.0.2.77/24");
    REQUIRE(p);
    CHECK(p->to_string() == "192.0.2.77/24");
    CHECK(p->masked().to_string() == "192.0.2.0/24");
    CHECK(IpPrefix::parse("192.0.2.1")->cidr == 32);
    CHECK(IpPrefix::parse("fd00::1")->cidr == 128);
    CHECK(IpPrefix::parse("fd00::ffff/17")->masked().to_string() == "fd00::/17");
    CHECK(IpPrefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("203.0.113.9")));
    CHECK_FALSE(IpPrefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("fd00::1")));
    CHECK(IpPrefix::parse("198.51.100.0/25")->contains(*IpAddress::parse("198.51.100.127")));
    CHECK_FALSE(IpPrefix::parse("198.51.100.0/25")->contains(*IpAddress::parse("198.51.100.128")));
    CHECK_FALSE(IpPrefix::parse("192.0.2.1/33"));
    CHECK_FALSE(IpPrefix::parse("fd00::/129"));
    CHECK_FALSE(IpPrefix::parse("192.0.2.1/"));
    CHECK_FALSE(IpPrefix::parse("192.0.2.1/2x"));
}

TEST_CASE("endpoints: IPv4, bracketed IPv6, ports") {
    auto e = Endpoint::parse("192.0.2.1:51820");
    REQUIRE(e);
    CHECK(e->port() == 51820);
    CHECK(e->to_string() == "192.0.2.1:51820");
    auto e6 = Endpoint::parse("[fd00::1]:1");
    REQUIRE(e6);
    CHECK(e6->to_string() == "[fd00::1]:1");
    CHECK(e6->address() == *IpAddress::parse("fd00::1"));
    CHECK(*e6 == Endpoint::from(*IpAddress::parse("fd00::1"), 1));
    CHECK_FALSE(*e6 == *e);
    CHECK_FALSE(Endpoint::parse("fd00::1:51820"));
    CHECK_FALSE(Endpoint::parse("192.0.2.1:65536"));
    CHECK_FALSE(Endpoint::parse("192.0.2.1:"));
    CHECK_FALSE(Endpoint::parse("192.0.2.1"));
    CHECK_FALSE(Endpoint::parse("[fd00::1]51820"));
    CHECK_FALSE(Endpoint::parse("[192.0.2.1%1]:5"));
}

TEST_CASE("IPv4 text is inet_ntop's and getnameinfo's, made without them") {
    for (const char* text :
         {"0.0.0.0", "192.0.2.1", "255.255.255.255", "10.0.100.9", "1.22.133.4"}) {
        auto a = IpAddress::parse(text);
        REQUIRE(a);
        char ref[INET_ADDRSTRLEN];
        REQUIRE(inet_ntop(AF_INET, a->bytes.data(), ref, sizeof ref));
        CHECK(a->to_string() == ref);
        CHECK(IpPrefix{*a, 7}.to_string() == std::string(ref) + "/7");
        for (std::uint16_t port : {0, 1, 80, 51820, 65535}) {
            Endpoint e = Endpoint::from(*a, port);
            char host[NI_MAXHOST], serv[NI_MAXSERV];
            REQUIRE(getnameinfo(e.sa(), e.sa_len(), host, sizeof host, serv, sizeof serv,
                                NI_NUMERICHOST | NI_NUMERICSERV | NI_DGRAM) == 0);
            CHECK(e.to_string() == std::string(host) + ":" + serv);
        }
    }
}
