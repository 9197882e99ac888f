#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "config/config_reader.hpp"

using namespace wgx;
using config::Mode;
using config::read_config_text;

namespace {

const char* WG_MAN_EXAMPLE = R"([Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
ListenPort = 51820

[Peer]
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
Endpoint = 192.95.5.67:1234
AllowedIPs = 10.192.122.3/32, 10.192.124.1/24

[Peer]
PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
Endpoint = [2607:5300:60:6b0::c05f:543]:2468
AllowedIPs = 10.192.122.4/32, 192.168.0.0/16

[Peer]
PublicKey = gN65BkIKy1eCE9pP1wdc8ROUtkHLF2PfAqYdyYBz6EA=
Endpoint = test.wireguard.com:18981
AllowedIPs = 10.10.10.230/32
)";

const char* QUICK_MAN_EXAMPLE = R"([Interface]
Address = 10.200.100.8/24
DNS = 10.200.100.1
PrivateKey = oK56DE9Ue9zK76rAc8pBl6opph+1v36lm7cXXsQKrQM=

[Peer]
PublicKey = GtL7fZc/bLnqZldpVofMCD6hDjrK28SsdLxevJ+qtKU=
PresharedKey = /UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=
AllowedIPs = 0.0.0.0/0
Endpoint = demo.wireguard.com:51820
)";

const char* PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

std::string error_of(std::string_view text, Mode mode = Mode::wg) {
    auto r = read_config_text(text, mode, "t.conf");
    REQUIRE_FALSE(r);
    return r.error().message;
}

std::string peer_conf(const std::string& lines) {
    return std::string("[Peer]\nPublicKey = ") + PEER + "\n" + lines;
}

} // namespace

TEST_CASE("reads the wg(8) man page example") {
    auto r = read_config_text(WG_MAN_EXAMPLE, Mode::wg, "wg0.conf");
    REQUIRE(r);
    const auto& d = r->device;
    CHECK(d.private_key->to_base64() == "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=");
    CHECK(d.listen_port == 51820);
    CHECK_FALSE(d.fwmark);
    CHECK_FALSE(d.replace_peers); // setconf decides that, not the reader
    REQUIRE(d.peers.size() == 3);
    CHECK(d.peers[0].public_key.to_base64() == PEER);
    CHECK(d.peers[0].replace_allowed_ips);
    CHECK(d.peers[0].endpoint->to_string() == "192.95.5.67:1234");
    REQUIRE(d.peers[0].allowed_ips.size() == 2);
    CHECK(d.peers[0].allowed_ips[1].prefix.to_string() == "10.192.124.1/24");
    CHECK(d.peers[1].endpoint->to_string() == "[2607:5300:60:6b0::c05f:543]:2468");
    // Names stay unresolved until resolve_endpoints().
    CHECK_FALSE(d.peers[2].endpoint);
    CHECK(d.peers[2].endpoint_host == "test.wireguard.com:18981");
    // wg warns about host bits, and keeps the prefix as written.
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0] == "Warning: AllowedIP has nonzero host part: 10.192.124.1/24");
}

TEST_CASE("reads the wg-quick(8) man page example in quick mode only") {
    auto r = read_config_text(QUICK_MAN_EXAMPLE, Mode::quick, "wg0.conf");
    REQUIRE(r);
    REQUIRE(r->quick.addresses.size() == 1);
    CHECK(r->quick.addresses[0].to_string() == "10.200.100.8/24");
    CHECK(r->quick.dns == std::vector<std::string>{"10.200.100.1"});
    CHECK(r->device.peers.size() == 1);
    CHECK(r->device.peers[0].preshared_key);
    CHECK(error_of(QUICK_MAN_EXAMPLE) ==
          "t.conf:2: Line unrecognized: `Address=10.200.100.8/24'"
          " (Address is a wg-quick key: give wg the output of `wgx-quick strip FILE')");
}

TEST_CASE("wg-quick keys: lists, hooks, SaveConfig, case") {
    const char* text = "[interface]\n"
                       "address = 10.0.0.1/24, fd00::1/64\n"
                       "Address=192.0.2.1\n"
                       "DNS = 192.0.2.53,fd00::53 example.com, corp\n"
                       "MTU = 1420\n"
                       "Table = off\n"
                       "PreUp = echo 'a=b' # cut here\n"
                       "PostUp = iptables -A FORWARD -i %i -j ACCEPT\n"
                       "PreDown = true\n"
                       "PostDown = ip rule del table 51820\n"
                       "SaveConfig = TRUE\n"
                       "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";
    auto r = read_config_text(text, Mode::quick, "q.conf");
    REQUIRE(r);
    const auto& q = r->quick;
    REQUIRE(q.addresses.size() == 3);
    CHECK(q.addresses[1].to_string() == "fd00::1/64");
    CHECK(q.addresses[2].to_string() == "192.0.2.1/32");
    CHECK(q.dns == std::vector<std::string>{"192.0.2.53", "fd00::53"});
    CHECK(q.dns_search == std::vector<std::string>{"example.com", "corp"});
    CHECK(q.mtu == 1420u);
    CHECK(q.table == "off");
    CHECK(q.pre_up == std::vector<std::string>{"echo 'a=b'"});
    CHECK(q.post_up == std::vector<std::string>{"iptables -A FORWARD -i %i -j ACCEPT"});
    CHECK(q.pre_down == std::vector<std::string>{"true"});
    CHECK(q.post_down.size() == 1);
    CHECK(q.save_config);
    CHECK(r->device.private_key);
    CHECK(r->stripped() ==
          "[interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n");
}

TEST_CASE("wg-quick keys outside [Interface] go to wg, which rejects them") {
    CHECK(error_of("[Peer]\nAddress = 10.0.0.1/32\n", Mode::quick) ==
          "t.conf:2: Line unrecognized: `Address=10.0.0.1/32'");
    // wg-quick does not see "[ Interface ]" as its section, wg does.
    CHECK(error_of("[ Interface ]\nMTU = 1280\n", Mode::quick) ==
          "t.conf:2: Line unrecognized: `MTU=1280'");
    CHECK(error_of("[Interface]\nSaveConfig = maybe\n", Mode::quick) ==
          "t.conf:2: `maybe' is neither true nor false");
    CHECK(error_of("[Interface]\nAddress = 10.0.0.1/33\n", Mode::quick) ==
          "t.conf:2: Address is not in the correct format: `10.0.0.1/33'");
    CHECK(error_of("[Interface]\nMTU = big\n", Mode::quick) ==
          "t.conf:2: MTU is not a number: `big'");
}

TEST_CASE("accepts what wg accepts") {
    auto ok = [](const std::string& text) {
        auto r = read_config_text(text, Mode::wg, "t.conf");
        if (!r)
            FAIL_CHECK(r.error().message);
        return r;
    };
    // Case-insensitive sections and keys, whitespace anywhere, comments, CRLF.
    auto r =
        ok("  # comment\n[iNtErFaCe]\r\nlisten port = 5 1 8 2 0 # trailing\r\n\n"
           "FWMARK=0x10\n[ Peer ]\npublickey=" +
           std::string(PEER) + "\npersistentkeepalive = OFF\nAllowedIPs=fd00::/8,\t192.0.2.0/24\n");
    CHECK(r->device.listen_port == 51820);
    CHECK(r->device.fwmark == 16u);
    CHECK(r->device.peers[0].persistent_keepalive == 0);
    CHECK(r->device.peers[0].allowed_ips.size() == 2);
    CHECK(ok("[Interface]\nFwMark = off\n")->device.fwmark == 0u);
    CHECK(ok("[Interface]\nFwMark = 4294967295\n")->device.fwmark == 4294967295u);
    CHECK(ok("[Interface]\nFwMark = 0xffffffff\n")->device.fwmark == 4294967295u);
    CHECK(ok("[Interface]\nListenPort = domain\n")->device.listen_port == 53);
    CHECK(ok(peer_conf("PersistentKeepalive = 65535\n"))->device.peers[0].persistent_keepalive ==
          65535);
    CHECK(ok(peer_conf("Endpoint = fd00::1:1\n"))->device.peers[0].endpoint->to_string() ==
          "[fd00::1]:1");
    CHECK(ok(peer_conf("Endpoint = [192.0.2.1]:7\n"))->device.peers[0].endpoint->to_string() ==
          "192.0.2.1:7");
    // A peer section per key, twice: kept in order (wg applies both).
    CHECK(ok(peer_conf("") + peer_conf(""))->device.peers.size() == 2);
    // Nothing at all is a valid (empty) configuration.
    CHECK(ok("")->device.peers.empty());
}

TEST_CASE("rejects what wg rejects, with wg's wording and FILE:LINE") {
    struct Case {
        std::string text;
        std::string message;
    };
    const Case cases[] = {
        {"ListenPort = 1\n", "t.conf:1: Line unrecognized: `ListenPort=1'"},
        {"[Interface]\nListenPort =\n", "t.conf:2: Line unrecognized: `ListenPort='"},
        {"[Interface]\nListenPort = abc\n",
         "t.conf:2: Servname not supported for ai_socktype: `abc'"},
        {"[Interface]\nListenPort = -1\n",
         "t.conf:2: Servname not supported for ai_socktype: `-1'"},
        {"[Interface]\nFwMark = 0xZZ\n",
         "t.conf:2: Fwmark is neither 0/off nor 0-0xffffffff: `0xZZ'"},
        {"[Interface]\nFwMark = 0x\n", "t.conf:2: Fwmark is neither 0/off nor 0-0xffffffff: `0x'"},
        {"[Interface]\nFwMark = 0X10\n",
         "t.conf:2: Fwmark is neither 0/off nor 0-0xffffffff: `0X10'"},
        {"[Interface]\nFwMark = 4294967296\n",
         "t.conf:2: Fwmark is neither 0/off nor 0-0xffffffff: `4294967296'"},
        {"[Interface]\nPrivateKey = abc\n",
         "t.conf:2: Key is not the correct length or format: `abc'"},
        {"[Interface]\nPublicKey = abc\n", "t.conf:2: Line unrecognized: `PublicKey=abc'"},
        {peer_conf("AllowedIPs = 10.0.0.1/33\n"),
         "t.conf:3: AllowedIP is not in the correct format: `10.0.0.1/33'"},
        {peer_conf("AllowedIPs = 10.0.0.1/-3\n"),
         "t.conf:3: AllowedIP is not in the correct format: `10.0.0.1/-3'"},
        {peer_conf("AllowedIPs = 10.0.0.1/\n"),
         "t.conf:3: AllowedIP is not in the correct format: `10.0.0.1/'"},
        {peer_conf("AllowedIPs = 10.0.0.1,,\n"), "t.conf:3: Unable to parse IP address: `'"},
        {peer_conf("AllowedIPs = -10.0.0.1\n"),
         "t.conf:3: Unable to parse IP address: `-10.0.0.1'"},
        {peer_conf("AllowedIPs = 10.0.0.256\n"),
         "t.conf:3: Unable to parse IP address: `10.0.0.256'"},
        {peer_conf("Endpoint = 1.2.3.4\n"), "t.conf:3: Unable to find port of endpoint: `1.2.3.4'"},
        {peer_conf("Endpoint = 1.2.3.4:\n"),
         "t.conf:3: Unable to find port of endpoint: `1.2.3.4:'"},
        {peer_conf("Endpoint = [fd00::1:1\n"),
         "t.conf:3: Unable to find matching brace of endpoint: `[fd00::1:1'"},
        {peer_conf("Endpoint = [fd00::1]1\n"),
         "t.conf:3: Unable to find port of endpoint: `[fd00::1]1'"},
        {peer_conf("PersistentKeepalive = 65536\n"),
         "t.conf:3: Persistent keepalive interval is neither 0/off nor 1-65535: `65536'"},
        {peer_conf("PersistentKeepalive = +5\n"),
         "t.conf:3: Persistent keepalive interval is neither 0/off nor 1-65535: `+5'"},
        {peer_conf("Foo = 1\n"), "t.conf:3: Line unrecognized: `Foo=1'"},
        {peer_conf(std::string("PublicKey=") + PEER + "=\n"),
         std::string("t.conf:3: Key is not the correct length or format: `") + PEER + "='"},
        {"[Interface]\n\n[Peer]\nAllowedIPs=10.0.0.0/8\n",
         "t.conf:3: A peer is missing a public key"},
        {"[Interface]\nAddress = 10.0.0.1/24\n",
         "t.conf:2: Line unrecognized: `Address=10.0.0.1/24' (Address is a wg-quick key: give wg "
         "the output of `wgx-quick strip FILE')"},
        {peer_conf("AllowedIPs =\n"), "t.conf:3: Line unrecognized: `AllowedIPs='"},
        {"[Interfaces]\n", "t.conf:1: Line unrecognized: `[Interfaces]'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(error_of(c.text) == c.message);
    }
}

TEST_CASE("line-fed reader: nothing after an error, line numbers count every line") {
    config::ConfigReader reader(Mode::wg, "x.conf");
    CHECK(reader.feed_line("[Interface]\n"));
    CHECK(reader.feed_line("# comment"));
    auto bad = reader.feed_line("Bogus = 1");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "x.conf:3: Line unrecognized: `Bogus=1'");
    CHECK(reader.line_number() == 3);
    CHECK_FALSE(reader.feed_line("[Peer]"));
    CHECK_FALSE(reader.finish());
}

TEST_CASE("read_config_file names a missing file") {
    auto r = config::read_config_file("/nonexistent/wgx-codec.conf", Mode::wg);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "/nonexistent/wgx-codec.conf: No such file or directory");
    CHECK(r.error().code == ENOENT);

    char tmpl[] = "/tmp/wgx-codec-reader-XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    std::string text = WG_MAN_EXAMPLE;
    REQUIRE(::write(fd, text.data(), text.size()) == ssize_t(text.size()));
    ::close(fd);
    auto ok = config::read_config_file(tmpl, Mode::wg);
    ::unlink(tmpl);
    REQUIRE(ok);
    CHECK(ok->device.peers.size() == 3);
}

TEST_CASE("a prefix given to two peers is reported with both lines, and strict refuses it") {
    const std::string text = "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
                             "AllowedIPs = 192.0.2.0/24, 198.51.100.0/24\n\n[Peer]\n"
                             "PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\n"
                             "AllowedIPs = 203.0.113.0/24\nAllowedIPs = 192.0.2.9/24\n";
    for (auto mode : {config::Mode::wg, config::Mode::quick}) {
        auto f = config::read_config_text(text, mode, "wg0.conf");
        REQUIRE(f);
        REQUIRE(f->warnings.size() == 2); // wg's host-part warning, then ours
        CHECK(f->warnings[1] ==
              "Warning: wg0.conf:8: AllowedIPs 192.0.2.0/24 moves here from the peer at "
              "wg0.conf:3 (wg gives a prefix to the last peer that names it)");
        auto strict = config::read_config_text(text, mode, "wg0.conf", nullptr, true);
        REQUIRE_FALSE(strict);
        CHECK(strict.error().message.starts_with("wg0.conf:8: AllowedIPs 192.0.2.0/24 moves"));
    }
    // The same key in two sections is one peer: nothing moves.
    const std::string twice = "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
                              "AllowedIPs = 192.0.2.0/24\n[Peer]\n"
                              "PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
                              "AllowedIPs = 192.0.2.0/24\n";
    auto f = config::read_config_text(twice, config::Mode::wg, "wg0.conf", nullptr, true);
    REQUIRE(f);
    CHECK(f->warnings.empty());
}

TEST_CASE("a wg-quick key handed to wg's grammar says to strip the file") {
    auto f = config::read_config_text("[Interface]\nAddress = 192.0.2.1/24\n", config::Mode::wg,
                                      "wg0.conf");
    REQUIRE_FALSE(f);
    CHECK(f.error().message ==
          "wg0.conf:2: Line unrecognized: `Address=192.0.2.1/24' (Address is a wg-quick key: "
          "give wg the output of `wgx-quick strip FILE')");
    auto other = config::read_config_text("[Interface]\nFoo = 1\n", config::Mode::wg, "wg0.conf");
    REQUIRE_FALSE(other);
    CHECK(other.error().message == "wg0.conf:2: Line unrecognized: `Foo=1'");
}

TEST_CASE("Masquerade and Forward are wgx-quick keys, and strip drops them") {
    auto f = read_config_text("[Interface]\nMasquerade = auto\nForward = True\nListenPort = 1\n",
                              Mode::quick, "wg0.conf");
    REQUIRE(f);
    CHECK(f->quick.masquerade == "auto");
    CHECK(f->quick.forward);
    CHECK(f->stripped() == "[Interface]\nListenPort = 1\n\n");
    auto bad = read_config_text("[Interface]\nForward = yes\n", Mode::quick, "wg0.conf");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "wg0.conf:2: `yes' is neither true nor false");
    auto name = read_config_text("[Interface]\nMasquerade = eth0/1\n", Mode::quick, "wg0.conf");
    REQUIRE_FALSE(name);
    CHECK(name.error().message ==
          "wg0.conf:2: Masquerade is neither auto nor an interface name: `eth0/1'");
}
