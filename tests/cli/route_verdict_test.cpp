#include <doctest/doctest.h>

#include "cli/route_verdict.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {
const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

NamedDevice wg0() {
    NamedDevice nd;
    nd.device.name = "wg0";
    model::Peer p;
    p.public_key = *model::Key::from_base64(PEER_A);
    p.allowed_ips.push_back({*IpPrefix::parse("203.0.113.0/24"), false});
    nd.device.peers = {p};
    nd.names = {{PEER_A, "laptop"}};
    return nd;
}

netlink::RouteLookup via(const char* prefix, std::uint32_t table = 254) {
    netlink::RouteLookup r;
    r.prefix = *IpPrefix::parse(prefix);
    r.table = table;
    r.type = 1;
    r.oif = 3;
    return r;
}

netlink::RuleEntry rule(std::uint32_t prio, std::uint32_t table, std::optional<std::uint32_t> mark,
                        bool invert = false, std::optional<std::uint32_t> suppress = {}) {
    netlink::RuleEntry e;
    e.priority = prio;
    e.spec.family = AF_INET;
    e.spec.table = table;
    e.spec.fwmark = mark;
    e.spec.invert = invert;
    e.spec.suppress_prefixlength = suppress;
    return e;
}
} // namespace

TEST_CASE("agreement: the route goes into the interface whose peer takes the address") {
    NamedDevice nd = wg0();
    auto addr = *IpAddress::parse("203.0.113.5");
    std::vector<WireguardMatch> m{{&nd, match_cryptokey(nd.device, addr)}};
    auto v = judge_route(addr, via("203.0.113.0/24"), "wg0", m);
    CHECK(v.agree);
    CHECK(v.sentence == "203.0.113.5 goes into wg0 and peer laptop takes it via 203.0.113.0/24");
}

TEST_CASE("the kernel routes elsewhere what a peer would take: the issue's sentence") {
    NamedDevice nd = wg0();
    auto addr = *IpAddress::parse("203.0.113.5");
    std::vector<WireguardMatch> m{{&nd, match_cryptokey(nd.device, addr)}};
    auto v = judge_route(addr, via("0.0.0.0/0"), "eth0", m);
    CHECK_FALSE(v.agree);
    CHECK(v.sentence ==
          "203.0.113.5 matches peer laptop via 203.0.113.0/24, but the kernel routes it via eth0, "
          "not wg0");
    auto none = judge_route(addr, std::nullopt, "", m);
    CHECK_FALSE(none.agree);
    CHECK(none.sentence.find("via nowhere (no route), not wg0") != std::string::npos);
}

TEST_CASE("routed into the interface but no peer takes it: dropped") {
    NamedDevice nd = wg0();
    auto addr = *IpAddress::parse("198.51.100.9");
    std::vector<WireguardMatch> m{{&nd, match_cryptokey(nd.device, addr)}};
    auto v = judge_route(addr, via("198.51.100.0/24"), "wg0", m);
    CHECK_FALSE(v.agree);
    CHECK(v.sentence == "198.51.100.9 is routed into wg0, but no peer of wg0 has it in its allowed "
                        "IPs, so wg0 drops it");
    auto outside = judge_route(addr, via("0.0.0.0/0"), "eth0", m);
    CHECK(outside.agree);
    CHECK(outside.sentence == "198.51.100.9 does not go through WireGuard (it leaves via eth0)");
}

TEST_CASE("rules: described as ip prints them, and the one that picked the table") {
    auto not_mark = rule(32765, 51820, 0xca6c, true);
    CHECK(describe_rule(not_mark) == "not from all fwmark 0xca6c lookup 51820");
    auto suppress = rule(32764, 254, std::nullopt, false, 0);
    CHECK(describe_rule(suppress) == "from all lookup main suppress_prefixlength 0");
    std::vector<netlink::RuleEntry> rules{rule(0, 255, {}), suppress, not_mark,
                                          rule(32766, 254, {}), rule(32767, 253, {})};
    // An unmarked packet to the internet: main's default route is suppressed, 51820 takes it.
    CHECK(selecting_rule(rules, via("0.0.0.0/0", 51820), 0) == 32765u);
    // A more specific route in main wins over suppress_prefixlength 0.
    CHECK(selecting_rule(rules, via("192.0.2.0/24", 254), 0) == 32764u);
    // The engine's own packets carry the mark: the `not fwmark` rule skips them.
    CHECK(selecting_rule(rules, via("0.0.0.0/0", 254), 0xca6c) == 32766u);
    CHECK(table_name(51820) == "51820");
    rules[1].other_selectors = true;
    CHECK_FALSE(selecting_rule(rules, via("0.0.0.0/0", 51820), 0));
}
