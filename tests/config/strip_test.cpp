#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>

#include <stdlib.h>
#include <sys/stat.h>

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

namespace {
const char* PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
const char* PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

/// A directory holding key files next to where a config would be.
struct KeyDir {
    std::string dir;
    KeyDir() {
        char tmpl[] = "/tmp/wgx-strip-test.XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~KeyDir() { std::filesystem::remove_all(dir); }
    void put(const std::string& name, const std::string& text, mode_t mode) const {
        std::ofstream(dir + "/" + name) << text << "\n";
        ::chmod((dir + "/" + name).c_str(), mode);
    }
};
} // namespace

TEST_CASE("strip compiles ExcludedIPs into the first AllowedIPs line") {
    std::string in = std::string("[Interface]\nPrivateKey = ") + PRIV +
                     "\n\n[Peer]\nPublicKey = " + PEER +
                     "\nExcludedIPs = 192.0.2.0/25 # the LAN\nAllowedIPs = 192.0.2.0/24\n"
                     "AllowedIPs = fd00::/8\nExcludedIPs = fd00::/9, 192.0.2.128/26\n";
    auto r = config::strip_config_text(in, "wg0.conf");
    REQUIRE(r);
    CHECK(std::string_view(*r) == std::string("[Interface]\nPrivateKey = ") + PRIV +
                                      "\n\n[Peer]\nPublicKey = " + PEER +
                                      "\nAllowedIPs = 192.0.2.192/26, fd80::/9\n\n");
    // Everything excluded: no AllowedIPs line at all (an empty value is not valid for wg).
    auto none = config::strip_config_text(std::string("[Peer]\nPublicKey = ") + PEER +
                                              "\nAllowedIPs = 192.0.2.0/24\nExcludedIPs = 0/0\n",
                                          "wg0.conf");
    REQUIRE_FALSE(none); // "0/0" is not a prefix
    CHECK(none.error().message == "wg0.conf:4: ExcludedIPs is not in the correct format: `0/0'");
    none = config::strip_config_text(std::string("[Peer]\nPublicKey = ") + PEER +
                                         "\nAllowedIPs = 192.0.2.0/24\nExcludedIPs = 0.0.0.0/0\n",
                                     "wg0.conf");
    REQUIRE(none);
    CHECK(std::string_view(*none) == std::string("[Peer]\nPublicKey = ") + PEER + "\n\n");
}

TEST_CASE("the reader gives up the compiled AllowedIPs to up") {
    std::string in = std::string("[Peer]\nPublicKey = ") + PEER +
                     "\nAllowedIPs = 0.0.0.0/0\nExcludedIPs = 128.0.0.0/1\n";
    auto file = config::read_config_text(in, config::Mode::quick, "wg0.conf");
    REQUIRE(file);
    REQUIRE(file->device.peers.size() == 1);
    REQUIRE(file->device.peers[0].allowed_ips.size() == 1);
    CHECK(file->device.peers[0].allowed_ips[0].prefix.to_string() == "0.0.0.0/1");
    // wg's own grammar knows none of it.
    auto wg = config::read_config_text(in, config::Mode::wg, "wg0.conf");
    REQUIRE_FALSE(wg);
    CHECK(
        wg.error().message.starts_with("wg0.conf:4: Line unrecognized: `ExcludedIPs=128.0.0.0/1'"));
}

TEST_CASE("strip replaces key files with the keys they hold") {
    KeyDir d;
    d.put("server.key", PRIV, 0600);
    d.put("peer.psk", PSK, 0400);
    std::string in = "[Interface]\nPrivateKeyFile = server.key\nListenPort = 51820\n[Peer]\n"
                     "PublicKey = " +
                     std::string(PEER) + "\nPresharedKeyFile = " + d.dir + "/peer.psk\n";
    auto r = config::strip_config_text(in, d.dir + "/wg0.conf");
    REQUIRE(r);
    CHECK(std::string_view(*r) == std::string("[Interface]\nPrivateKey = ") + PRIV +
                                      "\nListenPort = 51820\n[Peer]\nPublicKey = " + PEER +
                                      "\nPresharedKey = " + PSK + "\n\n");
    auto file = config::read_config_text(in, config::Mode::quick, d.dir + "/wg0.conf");
    REQUIRE(file);
    CHECK(file->device.private_key->to_base64() == PRIV);
    CHECK(file->device.peers[0].preshared_key->to_base64() == PSK);
}

TEST_CASE("a key file readable by others, or a key given twice, is refused at its line") {
    KeyDir d;
    d.put("server.key", PRIV, 0644);
    std::string conf = d.dir + "/wg0.conf";
    auto r = config::strip_config_text("[Interface]\nPrivateKeyFile = server.key\n", conf);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == conf + ":2: key file `" + d.dir +
                                   "/server.key' has mode 0644: it must be 0600 or stricter "
                                   "(chmod 600 it)");
    d.put("server.key", PRIV, 0600);
    r = config::strip_config_text(
        std::string("[Interface]\nPrivateKey = ") + PRIV + "\nPrivateKeyFile = server.key\n", conf);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == conf + ":3: PrivateKeyFile and PrivateKey are both given");
    r = config::strip_config_text(
        std::string("[Interface]\nPrivateKeyFile = server.key\nPrivateKey = ") + PRIV + "\n", conf);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == conf + ":3: PrivateKeyFile and PrivateKey are both given");
    r = config::strip_config_text(
        std::string("[Peer]\nPublicKey = ") + PEER + "\nPresharedKeyFile = missing.psk\n", conf);
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          conf + ":3: key file `" + d.dir + "/missing.psk': No such file or directory");
}
