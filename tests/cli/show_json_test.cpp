#include <doctest/doctest.h>

#include <type_traits>

#include "cli/show_json.hpp"
#include "support/plain_text.hpp"

using wgx::test::plain;

using namespace wgx;
using namespace wgx::cli;

namespace {

model::Key key_of(const char* b64) {
    return *model::Key::from_base64(b64);
}

const char* PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
const char* PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
const char* PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

NamedDevice sample() {
    NamedDevice nd;
    model::Device& d = nd.device;
    d.name = "wgtest0";
    d.private_key = key_of(PRIV);
    d.public_key = key_of(PUB);
    d.listen_port = 51820;
    d.fwmark = 0x10;
    model::Peer a;
    a.public_key = key_of(PEER_A);
    a.allowed_ips.push_back({*IpPrefix::parse("10.0.0.0/8"), false});
    a.allowed_ips.push_back({*IpPrefix::parse("fd00::/64"), false});
    model::Peer b;
    b.public_key = key_of(PEER_B);
    b.preshared_key = key_of(PSK);
    b.endpoint = Endpoint::parse("[fd00::1]:51820");
    b.last_handshake = std::chrono::system_clock::time_point(std::chrono::seconds(937));
    b.rx_bytes = 1239;
    b.tx_bytes = 3565158;
    b.persistent_keepalive = 25;
    d.peers = {a, b};
    nd.names = {{PEER_B, "phone \"Ann\""}};
    return nd;
}

} // namespace

TEST_CASE("an interface as JSON: typed fields, names and status, hidden keys left out") {
    ReportStyle style{true, 1000, std::chrono::seconds(180)};
    CHECK(plain(format_json_device(sample(), style)) == R"({
  "interface": "wgtest0",
  "public_key": "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
  "listen_port": 51820,
  "fwmark": 16,
  "peers": [
    {
      "public_key": "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
      "name": null,
      "endpoint": null,
      "allowed_ips": ["10.0.0.0/8", "fd00::/64"],
      "latest_handshake": 0,
      "rx_bytes": 0,
      "tx_bytes": 0,
      "persistent_keepalive": 0,
      "status": "never"
    },
    {
      "public_key": "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=",
      "name": "phone \"Ann\"",
      "endpoint": "[fd00::1]:51820",
      "allowed_ips": [],
      "latest_handshake": 937,
      "rx_bytes": 1239,
      "tx_bytes": 3565158,
      "persistent_keepalive": 25,
      "status": "active"
    }
  ]
}
)");
}

TEST_CASE("WG_HIDE_KEYS=never adds the private and preshared keys, and stale after the threshold") {
    ReportStyle style{false, 937 + 61, std::chrono::seconds(60)};
    static_assert(std::is_same_v<decltype(format_json_device(sample(), style)), SecretString>,
                  "the JSON that can carry keys is built in wiping memory");
    auto text = plain(format_json_device(sample(), style));
    CHECK(text.find(std::string("\"private_key\": \"") + PRIV + "\"") != std::string::npos);
    CHECK(text.find(std::string("\"preshared_key\": \"") + PSK + "\"") != std::string::npos);
    CHECK(text.find("\"status\": \"stale\"") != std::string::npos);
}

TEST_CASE("all and interfaces are arrays") {
    ReportStyle style{true, 1000, std::chrono::seconds(180)};
    CHECK(plain(format_json_devices({}, style)) == "[]\n");
    NamedDevice empty;
    empty.device.name = "e0";
    CHECK(plain(format_json_devices({empty, empty}, style)) ==
          "[\n  {\n    \"interface\": \"e0\",\n    \"public_key\": null,\n    \"listen_port\": "
          "0,\n    \"fwmark\": 0,\n    \"peers\": []\n  },\n  {\n    \"interface\": \"e0\",\n    "
          "\"public_key\": null,\n    \"listen_port\": 0,\n    \"fwmark\": 0,\n    \"peers\": "
          "[]\n  }\n]\n");
    CHECK(format_json_interface_names({}) == "[]\n");
    CHECK(format_json_interface_names({"wg0", "w\"1"}) == "[\"wg0\", \"w\\\"1\"]\n");
}
