#include <doctest/doctest.h>

#include <sstream>

#include "quick/routing.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
model::Peer peer(std::vector<std::string> prefixes) {
    model::Peer p;
    for (const auto& s : prefixes)
        p.allowed_ips.push_back({*IpPrefix::parse(s), false});
    return p;
}
std::string joined(const std::vector<IpPrefix>& v) {
    std::string s;
    for (const auto& p : v)
        s += p.to_string() + " ";
    return s;
}
} // namespace

TEST_CASE("routing: the order of `sort -nr -k 2 -t /`") {
    model::Device d;
    d.peers.push_back(peer({"192.0.2.0/24", "198.51.100.128/25", "fd00:3::/48", "0.0.0.0/0"}));
    d.peers.push_back(peer({"198.51.100.200/32", "192.0.2.64/26", "fd00:3:1::/64", "203.0.113.0/25",
                            "203.0.113.128/25", "::/0"}));
    d.peers.push_back(peer({"198.51.100.129/32", "fd00:2::5/128", "10.0.0.0/8"}));
    // The reference order, produced by LC_ALL=C sort -nr -k 2 -t / over the same lines.
    CHECK(joined(routes_in_order(d)) ==
          "fd00:2::5/128 fd00:3:1::/64 fd00:3::/48 198.51.100.200/32 198.51.100.129/32 "
          "192.0.2.64/26 203.0.113.128/25 203.0.113.0/25 198.51.100.128/25 192.0.2.0/24 "
          "10.0.0.0/8 ::/0 0.0.0.0/0 ");
}

TEST_CASE("routing: allowed IPs are masked and listed once, as wg show prints them") {
    model::Device d;
    d.peers.push_back(peer({"192.0.2.77/24", "192.0.2.0/24"}));
    d.peers.push_back(peer({"fd00::1:2/64"}));
    d.peers[0].allowed_ips.push_back({*IpPrefix::parse("198.51.100.0/24"), true}); // a removal
    CHECK(joined(routes_in_order(d)) == "fd00::/64 192.0.2.0/24 ");
}

TEST_CASE("routing: table names and numbers as ip reads them") {
    TableNames t;
    std::istringstream file(
        "# comment\n255\tlocal\n200 vpn\n0x10 hexed\nbogus line\n\n300\tbig # x\n");
    t.read(file);
    CHECK(t.lookup("main") == 254u);
    CHECK(t.lookup("default") == 253u);
    CHECK(t.lookup("vpn") == 200u);
    CHECK(t.lookup("hexed") == 16u);
    CHECK(t.lookup("big") == 300u);
    CHECK(t.lookup("1234") == 1234u);
    CHECK(t.lookup("0x100") == 256u);
    CHECK_FALSE(t.lookup("nope"));
    CHECK_FALSE(t.lookup("12a"));
    CHECK_FALSE(t.lookup("-1"));
    CHECK_FALSE(t.lookup(""));
}

TEST_CASE("routing: the Table key") {
    TableNames t;
    CHECK(choose_table(std::nullopt, t)->kind == TableChoice::Kind::automatic);
    CHECK(choose_table(std::string(""), t)->kind == TableChoice::Kind::automatic);
    CHECK(choose_table(std::string("auto"), t)->kind == TableChoice::Kind::automatic);
    CHECK(choose_table(std::string("off"), t)->kind == TableChoice::Kind::off);
    auto main = choose_table(std::string("main"), t);
    REQUIRE(main);
    CHECK(main->kind == TableChoice::Kind::table);
    CHECK(main->id == 254u);
    CHECK(choose_table(std::string("1234"), t)->id == 1234u);
    // Case matters, as in wg-quick's [[ $TABLE != off ]]: "Off" is a (missing) table name.
    auto bad = choose_table(std::string("Off"), t);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "Error: argument \"Off\" is wrong: \"table\" value is invalid");
}

TEST_CASE("routing: the fwmark table search starts at 51820") {
    CHECK(first_free_table({}) == 51820u);
    CHECK(first_free_table({254, 255, 51821}) == 51820u);
    CHECK(first_free_table({51820, 51821, 51823}) == 51822u);
}
