#include <doctest/doctest.h>

#include "quick/resolv_conf_file.hpp"

using namespace wgx::quick;

TEST_CASE("resolv.conf file: servers, search, and the original's options") {
    std::string original = "# from DHCP\nnameserver 192.0.2.1\nsearch lan\n"
                           "options edns0 trust-ad\n  options\trotate\noptionsx 1\n";
    std::string text = rewritten_resolv_conf("wg0", original, {"198.51.100.53", "fd00::53"},
                                             {"corp.example", "internal.example"});
    CHECK(text == resolv_conf_marker("wg0") + "\nnameserver 198.51.100.53\nnameserver fd00::53\n"
                                              "search corp.example internal.example\n"
                                              "options edns0 trust-ad\n  options\trotate\n");
    CHECK(rewritten_resolv_conf("wg0", "", {"198.51.100.53"}, {}) ==
          resolv_conf_marker("wg0") + "\nnameserver 198.51.100.53\n");
}

TEST_CASE("resolv.conf file: the marker names the interface that wrote it") {
    CHECK(resolv_conf_owner(rewritten_resolv_conf("wg.0-x", "", {"192.0.2.1"}, {})) == "wg.0-x");
    CHECK(resolv_conf_owner("nameserver 192.0.2.1\n") == "");
    CHECK(resolv_conf_owner("") == "");
    CHECK(resolv_conf_marker("wg0").find("wgx-quick down wg0") != std::string::npos);
}
