#include <doctest/doctest.h>

#include <netinet/in.h>

#include "quick/undo.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
netlink::RuleSpec not_marked(int family) {
    return {family, 51820, 51820u, true, std::nullopt};
}
netlink::RuleSpec suppress(int family) {
    return {family, 254, std::nullopt, false, 0u};
}
} // namespace

TEST_CASE("undo: each shows the command a user would type") {
    CHECK(command_of(DeleteLink{"wg0"}) == "ip link delete dev wg0");
    CHECK(command_of(UnsetDns{"tun.wg0"}) == "resolvconf -d tun.wg0 -f");
    CHECK(command_of(DeleteRule{not_marked(AF_INET)}) ==
          "ip -4 rule delete not fwmark 51820 table 51820");
    CHECK(command_of(DeleteRule{suppress(AF_INET6)}) ==
          "ip -6 rule delete table main suppress_prefixlength 0");
    CHECK(command_of(RestoreSysctl{"net.ipv4.conf.all.src_valid_mark", "0"}) ==
          "sysctl -q net.ipv4.conf.all.src_valid_mark=0");
    CHECK(command_of(DeleteNftTable{"ip6", "wg-quick-wg0"}) == "nft delete table ip6 wg-quick-wg0");
    CHECK(rule_command("add", not_marked(AF_INET6)) ==
          "ip -6 rule add not fwmark 51820 table 51820");
}

TEST_CASE("undo: the record reads back what was written") {
    std::vector<Undo> undos = {DeleteLink{"wg0"},
                               UnsetDns{"wg0"},
                               DeleteRule{not_marked(AF_INET6)},
                               DeleteRule{suppress(AF_INET6)},
                               RestoreSysctl{"net.ipv4.conf.all.src_valid_mark", "0"},
                               DeleteNftTable{"ip", "wg-quick-wg0"}};
    std::string text = record_text(undos);
    CHECK(text == "link wg0\ndns wg0\nrule 6 table 51820 not fwmark 51820\nrule 6 table 254 "
                  "suppress 0\nsysctl net.ipv4.conf.all.src_valid_mark 0\nnft ip wg-quick-wg0\n");
    CHECK(parse_record(text) == undos);
}

TEST_CASE("undo: unreadable record lines are skipped, the rest is kept") {
    auto undos = parse_record("link wg0\nrule 5 table 1\nrule 4 table x\nnft arp t\n"
                              "rule 4 table 7 fwmark\nbogus\n\ndns a.wg0");
    CHECK(undos == std::vector<Undo>{DeleteLink{"wg0"}, UnsetDns{"a.wg0"}});
}

TEST_CASE("undo: the inet table of Masquerade is recorded and read back") {
    std::vector<Undo> undos{DeleteNftTable{"inet", "wgx-quick-wg0"}};
    CHECK(parse_record(record_text(undos)) == undos);
}

TEST_CASE("undo: the DNS undos of resolved and the file, shown and recorded") {
    CHECK(command_of(RevertResolvedLink{"wg0", 7}) == "resolvectl revert wg0");
    CHECK(command_of(RestoreResolvConf{"wg0"}).ends_with("wg0.resolv.conf"));
    CHECK(command_of(RestoreResolvConf{"wg0"}).find("> /etc/resolv.conf") != std::string::npos);
    std::vector<Undo> undos = {DeleteLink{"wg0"}, RevertResolvedLink{"wg0", 7},
                               RestoreResolvConf{"wg0"}};
    CHECK(record_text(undos) == "link wg0\nresolved wg0 7\nresolv.conf wg0\n");
    CHECK(parse_record(record_text(undos)) == undos);
    CHECK(!parse_record_line("resolved wg0"));
    CHECK(!parse_record_line("resolved wg0 0"));
    CHECK(!parse_record_line("resolved wg0 x"));
    CHECK(!parse_record_line("resolv.conf"));
}
