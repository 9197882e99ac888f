#include <doctest/doctest.h>

#include "cli/top_view.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {

const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

NamedDevice device(std::uint64_t a_rx, std::uint64_t b_tx) {
    NamedDevice nd;
    nd.device.name = "wg0";
    model::Peer a;
    a.public_key = *model::Key::from_base64(PEER_A);
    a.rx_bytes = a_rx;
    a.tx_bytes = 0;
    a.last_handshake = std::chrono::system_clock::time_point(std::chrono::seconds(990));
    a.endpoint = Endpoint::parse("192.0.2.2:51820");
    model::Peer b;
    b.public_key = *model::Key::from_base64(PEER_B);
    b.rx_bytes = 0;
    b.tx_bytes = b_tx;
    nd.device.peers = {a, b};
    nd.names = {{PEER_B, "laptop"}};
    return nd;
}

} // namespace

TEST_CASE("rates between two samples, most traffic first") {
    ReportStyle style{true, 1000, std::chrono::seconds(180)};
    auto rows = top_rows({device(1000, 5000)}, {device(3048, 5100)}, 2.0, style);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].peer == "xTIBA5rboU...");
    CHECK(rows[0].rx_rate == doctest::Approx(1024));
    CHECK(rows[0].endpoint == "192.0.2.2:51820");
    CHECK(rows[0].status == PeerStatus::active);
    CHECK(rows[0].handshake_age == 10);
    CHECK(rows[1].peer == "laptop");
    CHECK(rows[1].tx_rate == doctest::Approx(50));
    CHECK(rows[1].endpoint == "-");
    CHECK(rows[1].status == PeerStatus::never);
    CHECK(rows[1].handshake_age == -1);
}

TEST_CASE("a new peer or a counter that went down gives rate 0") {
    ReportStyle style{true, 1000, std::chrono::seconds(180)};
    auto rows = top_rows({}, {device(100, 100)}, 1.0, style);
    CHECK(rows[0].rx_rate == 0);
    rows = top_rows({device(500, 0)}, {device(100, 0)}, 1.0, style);
    CHECK(rows[0].rx_rate == 0);
}

TEST_CASE("units and ages are single words") {
    CHECK(format_rate(0) == "0B/s");
    CHECK(format_rate(512) == "512B/s");
    CHECK(format_rate(1536) == "1.50KiB/s");
    CHECK(format_total(3 * 1024 * 1024) == "3.00MiB");
    CHECK(format_age(-1) == "-");
    CHECK(format_age(5) == "5s");
    CHECK(format_age(200) == "3m20s");
    CHECK(format_age(7500) == "2h05m");
    CHECK(format_age(2 * 86400 + 3 * 3600) == "2d03h");
}

TEST_CASE("the table: header, a window of rows, lines cut to the width") {
    ReportStyle style{true, 1000, std::chrono::seconds(180)};
    auto rows = top_rows({device(1000, 5000)}, {device(3048, 5100)}, 2.0, style);
    auto text = format_top_table(rows, 1, 5, 200);
    CHECK(text.rfind("INTERFACE", 0) == 0);
    CHECK(text.find("laptop") != std::string::npos);
    CHECK(text.find("xTIBA5rboU") == std::string::npos);
    CHECK(text.find("50B/s") != std::string::npos);
    auto narrow = format_top_table(rows, 0, 5, 20);
    for (std::size_t at = 0, nl; (nl = narrow.find('\n', at)) != std::string::npos; at = nl + 1)
        CHECK(nl - at <= 20);
}
