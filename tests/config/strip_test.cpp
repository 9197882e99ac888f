#include <doctest/doctest.h>

#include <string_view>
#include <type_traits>

#include "config/config_reader.hpp"
#include "config/strip.hpp"

using namespace wgx;

// Expected outputs were produced by `wg-quick strip` (wireguard-tools 1.0.20210914).
TEST_CASE("strip is byte-identical to wg-quick's") {
    struct Case {
        std::string in, out;
    };
    const Case cases[] = {
        {"[Interface]\nAddress = 10.0.0.1/24 # c\n  PrivateKey = "
         "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=  \n\n\n",
         "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n\n\n"},
        {"", "\n"},
        {"# only a comment", "# only a comment\n\n"},
        {"[Interface]\r\nDNS = 192.0.2.1\r\n", "[Interface]\r\n\n"},
        {"\t[Peer] \t\nSaveConfig = true\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
         "[Peer]\nSaveConfig = true\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n\n"},
        {"[Interface]\nListenPort = 1\n   \n", "[Interface]\nListenPort = 1\n\n\n"},
        {"[Interface]\nListenPort = 1\n   ", "[Interface]\nListenPort = 1\n\n"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        auto r = config::strip_config_text(c.in, "wg0.conf");
        if (c.in.find("SaveConfig") != std::string::npos) {
            // wg-quick passes it through ([Peer] section); wg would then reject it.
            REQUIRE_FALSE(r);
            CHECK(r.error().message == "wg0.conf:2: Line unrecognized: `SaveConfig=true'");
            continue;
        }
        REQUIRE(r);
        CHECK(std::string_view(*r) == c.out);
    }
}

TEST_CASE("strip validates every line and names it") {
    auto r =
        config::strip_config_text("[Interface]\nPrivateKey = nope\n", "/etc/wireguard/wg0.conf");
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "/etc/wireguard/wg0.conf:2: Key is not the correct length or format: `nope'");
    auto missing = config::strip_config("/nonexistent/wg9.conf");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ENOENT);
}

TEST_CASE("strip: the lines, which hold the keys, live in wiping memory") {
    static_assert(
        std::is_same_v<decltype(config::strip_config_text("", "")), Result<SecretString>>);
    static_assert(std::is_same_v<decltype(config::ConfigFile::wg_lines)::value_type, SecretString>);
    auto r = config::strip_config_text(
        "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n", "wg0.conf");
    REQUIRE(r);
    CHECK(std::string_view(*r) ==
          "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n");
}
