#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <stdlib.h>

#include "netlink/ipv6_status.hpp"

using namespace wgx;

namespace {
/// A /proc look-alike with just the files ipv6_status reads.
struct FakeProc {
    std::filesystem::path root;
    FakeProc() {
        char tmpl[] = "/tmp/wgx-fake-proc.XXXXXX";
        root = ::mkdtemp(tmpl);
    }
    ~FakeProc() { std::filesystem::remove_all(root); }
    void put(const std::string& rel, const std::string& text) const {
        std::filesystem::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text;
    }
};

const char* IF_INET6 = "fd000051000000000000000000000001 02 40 00 80   uplink0\n"
                       "fe800000000000000000000000000001 02 40 20 80   uplink0\n"
                       "00000000000000000000000000000001 01 80 10 80       lo\n";
} // namespace

TEST_CASE("global IPv6 addresses are those of scope 00") {
    auto g = netlink::global_ipv6_addresses(IF_INET6);
    REQUIRE(g.size() == 1);
    CHECK(g[0].interface == "uplink0");
    CHECK(g[0].address.to_string() == "fd00:51::1");
}

TEST_CASE("IPv6 disabled, absent, or there") {
    FakeProc p;
    CHECK(netlink::ipv6_status(p.root).disabled ==
          "this host has no IPv6 (no " + p.root.string() + "/sys/net/ipv6)");
    p.put("sys/net/ipv6/conf/default/disable_ipv6", "0\n");
    p.put("sys/net/ipv6/conf/all/disable_ipv6", "1\n");
    CHECK(netlink::ipv6_status(p.root).disabled ==
          "IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)");
    p.put("sys/net/ipv6/conf/all/disable_ipv6", "0\n");
    p.put("net/if_inet6", IF_INET6);
    auto s = netlink::ipv6_status(p.root);
    CHECK_FALSE(s.disabled);
    CHECK(s.global.size() == 1);
}
