#include <doctest/doctest.h>

#include "config/config_reader.hpp"
#include "quick/save_merge.hpp"
#include "support/plain_text.hpp"

using wgx::test::plain;

using namespace wgx;
using namespace wgx::quick;

namespace {
const char* PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
const char* A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
const char* C = "gN65BkIKy1eCE9pP1wdc8ROUtkHLF2PfAqYdyYBz6EA=";
const char* PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

std::string file_text() {
    return std::string("# office tunnel -- keep this comment\n[Interface]\nPrivateKey = ") + PRIV +
           "\nListenPort = 51820   # fixed for the firewall\nAddress = 192.0.2.1/24\n"
           "DNS = 192.0.2.53, corp.example\nMTU = 1420\nPostUp = echo hi\n\n"
           "[Peer]\n# Name = laptop\nPublicKey = " +
           A +
           "\nAllowedIPs = 192.0.2.2/32\nEndpoint = vpn.example.test:51820\n\n[Peer]\n# Name = "
           "phone\nPublicKey = " +
           B + "\nAllowedIPs = 192.0.2.3/32\nPersistentKeepalive = 25\n";
}

config::ConfigFile parse(const std::string& text) {
    auto f = config::read_config_text(text, config::Mode::quick, "wg0.conf");
    REQUIRE(f);
    return std::move(*f);
}

/// The live state equal to the file.
LiveConfig same_as(const config::ConfigFile& f) {
    LiveConfig live;
    live.device = f.device;
    live.device.listen_port = 51820;
    live.addresses = f.quick.addresses;
    live.nameservers = f.quick.dns;
    live.mtu = 1420;
    for (auto& p : live.device.peers)
        p.endpoint_host.reset();
    return live;
}
} // namespace

TEST_CASE("nothing changed live: the file is written back byte for byte") {
    auto text = file_text();
    auto f = parse(text);
    CHECK(plain(merge_saved_config(text, f, same_as(f))) == text);
}

TEST_CASE("only what changed live changes, and comments, names and order stay") {
    auto text = file_text();
    auto f = parse(text);
    auto live = same_as(f);
    live.addresses.push_back(*IpPrefix::parse("192.0.2.77/32"));
    live.mtu = 1380;
    live.device.listen_port = 51999;
    live.device.peers[0].allowed_ips.push_back({*IpPrefix::parse("198.51.100.0/24"), false});
    live.device.peers[0].endpoint = Endpoint::parse("198.51.100.9:51820"); // learned: kept
    live.device.peers.erase(live.device.peers.begin() + 1);                // phone removed
    model::Peer c;
    c.public_key = *model::Key::from_base64(C);
    c.preshared_key = *model::Key::from_base64(PSK);
    c.allowed_ips.push_back({*IpPrefix::parse("192.0.2.4/32"), false});
    live.device.peers.push_back(c);
    std::string expected =
        std::string("# office tunnel -- keep this comment\n[Interface]\nPrivateKey = ") + PRIV +
        "\nListenPort = 51999 # fixed for the firewall\nAddress = 192.0.2.1/24, 192.0.2.77/32\n"
        "DNS = 192.0.2.53, corp.example\nMTU = 1380\nPostUp = echo hi\n\n"
        "[Peer]\n# Name = laptop\nPublicKey = " +
        A +
        "\nAllowedIPs = 192.0.2.2/32, 198.51.100.0/24\nEndpoint = vpn.example.test:51820\n\n"
        "[Peer]\nPublicKey = " +
        C + "\nPresharedKey = " + PSK + "\nAllowedIPs = 192.0.2.4/32\n";
    CHECK(plain(merge_saved_config(text, f, live)) == expected);
}

TEST_CASE("keepalive and preshared key lines follow the live values, numeric endpoints too") {
    std::string text = std::string("[Interface]\nPrivateKey = ") + PRIV +
                       "\n[Peer]\nPublicKey = " + A + "\nPresharedKey = " + PSK +
                       "\nEndpoint = 198.51.100.1:51820\nAllowedIPs = 0.0.0.0/0\n"
                       "ExcludedIPs = 192.0.2.0/24\nPersistentKeepalive = 25\n";
    auto f = parse(text);
    auto live = same_as(f);
    live.device.listen_port.reset();
    auto& p = live.device.peers[0];
    p.preshared_key.reset();
    p.persistent_keepalive = 0;
    p.endpoint = Endpoint::parse("198.51.100.7:4000");
    // The compiled AllowedIPs still hold: the ExcludedIPs line stays.
    CHECK(plain(merge_saved_config(text, f, live)) ==
          std::string("[Interface]\nPrivateKey = ") + PRIV + "\n[Peer]\nPublicKey = " + A +
              "\nEndpoint = 198.51.100.7:4000\nAllowedIPs = 0.0.0.0/0\n"
              "ExcludedIPs = 192.0.2.0/24\n");
    p.allowed_ips = {{*IpPrefix::parse("10.0.0.0/8"), false}};
    CHECK(plain(merge_saved_config(text, f, live)) ==
          std::string("[Interface]\nPrivateKey = ") + PRIV + "\n[Peer]\nPublicKey = " + A +
              "\nEndpoint = 198.51.100.7:4000\nAllowedIPs = 10.0.0.0/8\n");
}
