#include <doctest/doctest.h>

#include "cli/prometheus_format.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {

const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

NamedDevice sample() {
    NamedDevice nd;
    nd.device.name = "wg0";
    nd.device.listen_port = 51820;
    model::Peer a;
    a.public_key = *model::Key::from_base64(PEER_A);
    model::Peer b;
    b.public_key = *model::Key::from_base64(PEER_B);
    b.last_handshake = std::chrono::system_clock::time_point(std::chrono::seconds(900));
    b.rx_bytes = 10;
    b.tx_bytes = 20;
    nd.device.peers = {a, b};
    nd.names = {{PEER_B, "lap\\top \"1\""}};
    return nd;
}

} // namespace

TEST_CASE("label values escape backslash, quote and newline") {
    CHECK(prometheus_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}

TEST_CASE("every family has HELP and TYPE once, and samples carry names and statuses") {
    auto text = format_prometheus({sample()}, ReportStyle{true, 1000, std::chrono::seconds(180)});
    const std::string b = std::string("interface=\"wg0\",public_key=\"") + PEER_B +
                          "\",name=\"lap\\\\top \\\"1\\\"\"";
    const std::string a = std::string("interface=\"wg0\",public_key=\"") + PEER_A + "\",name=\"\"";
    for (const char* line : {
             "# TYPE wgx_interface_peers gauge\n",
             "wgx_interface_peers{interface=\"wg0\",status=\"active\"} 1\n",
             "wgx_interface_peers{interface=\"wg0\",status=\"stale\"} 0\n",
             "wgx_interface_peers{interface=\"wg0\",status=\"never\"} 1\n",
             "wgx_interface_listen_port{interface=\"wg0\"} 51820\n",
             "# TYPE wgx_peer_receive_bytes_total counter\n",
             "# TYPE wgx_peer_transmit_bytes_total counter\n",
             "wgx_stale_after_seconds 180\n",
         })
        CHECK(text.find(line) != std::string::npos);
    CHECK(text.find("wgx_peer_receive_bytes_total{" + b + "} 10\n") != std::string::npos);
    CHECK(text.find("wgx_peer_transmit_bytes_total{" + b + "} 20\n") != std::string::npos);
    CHECK(text.find("wgx_peer_latest_handshake_seconds{" + b + "} 900\n") != std::string::npos);
    CHECK(text.find("wgx_peer_latest_handshake_seconds{" + a + "} 0\n") != std::string::npos);
    CHECK(text.find("wgx_peer_status{" + b + ",status=\"active\"} 1\n") != std::string::npos);
    CHECK(text.find("wgx_peer_status{" + a + ",status=\"never\"} 1\n") != std::string::npos);
    CHECK(text.find("wgx_peer_status{" + a + ",status=\"active\"} 0\n") != std::string::npos);
    std::size_t helps = 0;
    for (auto at = text.find("# HELP"); at != std::string::npos; at = text.find("# HELP", at + 1))
        ++helps;
    CHECK(helps == 7);
}
