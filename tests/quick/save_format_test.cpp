#include <doctest/doctest.h>

#include "quick/save_format.hpp"

using namespace wgx;
using namespace wgx::quick;

TEST_CASE("save: showconf with wg-quick's [Interface] keys in wg-quick's order") {
    std::string showconf = "[Interface]\nListenPort = 51820\nPrivateKey = K\n\n[Peer]\nPublicKey = "
                           "P\nAllowedIPs = 192.0.2.0/24\n";
    LiveState live;
    live.addresses = {*IpPrefix::parse("192.0.2.1/24"), *IpPrefix::parse("fd00::1/64")};
    live.nameservers = {"192.0.2.53"};
    live.mtu = 1380;
    config::QuickSettings q;
    q.mtu = 1400;
    q.table = "1234";
    q.save_config = true;
    q.pre_up = {"a %i"};
    q.post_up = {"b"};
    q.pre_down = {"c"};
    q.post_down = {"d", "e"};
    CHECK(saved_config(showconf, live, q) ==
          "[Interface]\nAddress = 192.0.2.1/24\nAddress = fd00::1/64\nDNS = 192.0.2.53\n"
          "MTU = 1380\nTable = 1234\nSaveConfig = true\nPreUp = a %i\nPostUp = b\nPreDown = c\n"
          "PostDown = d\nPostDown = e\nListenPort = 51820\nPrivateKey = K\n\n[Peer]\nPublicKey = "
          "P\nAllowedIPs = 192.0.2.0/24\n");
}

TEST_CASE("save: no MTU key unless the file had one, an empty Table is not written") {
    LiveState live;
    live.mtu = 1420;
    config::QuickSettings q;
    q.table = "";
    CHECK(saved_config("[Interface]\nPrivateKey = K\n\n\n", live, q) ==
          "[Interface]\nPrivateKey = K\n");
}

TEST_CASE("save: '&' in a hook is kept (bash 5.2's patsub_replacement mangles it in wg-quick)") {
    config::QuickSettings q;
    q.post_up = {"a && b"};
    CHECK(saved_config("[Interface]\nPrivateKey = K\n", {}, q) ==
          "[Interface]\nPostUp = a && b\nPrivateKey = K\n");
}
