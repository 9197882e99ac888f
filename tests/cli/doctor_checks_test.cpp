#include <doctest/doctest.h>

#include <algorithm>

#include "cli/doctor_findings.hpp"

using namespace wgx;
using namespace wgx::cli;

namespace {
const char* PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
constexpr std::time_t NOW = 100000;

model::Peer peer(const char* key, std::initializer_list<const char*> prefixes, long long hs,
                 std::uint64_t rx, std::uint64_t tx) {
    model::Peer p;
    p.public_key = *model::Key::from_base64(key);
    for (const char* s : prefixes)
        p.allowed_ips.push_back({*IpPrefix::parse(s), false});
    if (hs)
        p.last_handshake = std::chrono::system_clock::time_point(std::chrono::seconds(hs));
    p.rx_bytes = rx;
    p.tx_bytes = tx;
    p.endpoint = Endpoint::parse("192.0.2.2:51820");
    return p;
}

/// A healthy interface with one active peer "beta".
InterfaceFacts healthy() {
    InterfaceFacts f;
    f.name = "wg0";
    f.exists = f.up = true;
    f.mtu = 1420;
    f.addresses = {*IpPrefix::parse("198.51.100.1/24")};
    model::Device d;
    d.name = "wg0";
    d.public_key = *model::Key::from_base64(PUB);
    d.listen_port = 51820;
    d.peers = {peer(PEER_A, {"198.51.100.2/32"}, NOW - 10, 1000, 1000)};
    f.before = d;
    d.peers[0].rx_bytes = 2000;
    d.peers[0].tx_bytes = 2000;
    f.after = NamedDevice{d, {{PEER_A, "beta"}}};
    f.link_rx_before = 10;
    f.link_rx_after = 20;
    f.endpoint_routes = {{PEER_A, EndpointRoute{"eth0", 1500, false}}};
    return f;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& check) {
    auto it = std::find_if(fs.begin(), fs.end(), [&](auto& f) { return f.check == check; });
    return it == fs.end() ? nullptr : &*it;
}

DoctorOptions options() {
    return DoctorOptions{std::chrono::seconds(180), NOW, ""};
}
} // namespace

TEST_CASE("a healthy interface exits 0 with ok lines") {
    auto fs = diagnose(healthy(), HostFacts{}, options());
    CHECK(doctor_exit_code(fs) == 0);
    REQUIRE(find(fs, "interface"));
    REQUIRE(find(fs, "handshake"));
    CHECK(find(fs, "handshake")->peer == "beta");
}

TEST_CASE("missing, down, no address, no port") {
    InterfaceFacts gone;
    gone.name = "wg9";
    auto fs = diagnose(gone, HostFacts{}, options());
    CHECK(doctor_exit_code(fs) == 2);
    CHECK(find(fs, "exists")->fix == "wgx-quick up wg9");
    auto f = healthy();
    f.up = false;
    f.addresses.clear();
    f.port_bound = false;
    fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "up")->severity == Severity::problem);
    CHECK(find(fs, "addresses")->severity == Severity::warning);
    CHECK(find(fs, "listen-port")->severity == Severity::warning);
    CHECK(doctor_exit_code(fs) == 2);
}

TEST_CASE("MTU larger than the egress path allows") {
    auto f = healthy();
    f.endpoint_routes[0].second.mtu = 1400;
    auto fs = diagnose(f, HostFacts{}, options());
    REQUIRE(find(fs, "mtu"));
    CHECK(find(fs, "mtu")->fix == "ip link set wg0 mtu 1340");
    CHECK(doctor_exit_code(fs) == 1);
}

TEST_CASE("handshake never completed while sending: a problem, and idle without endpoint: a note") {
    auto f = healthy();
    f.after.device.peers[0].last_handshake.reset();
    f.after.device.peers[0].rx_bytes = 0;
    auto fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "handshake-never")->severity == Severity::problem);
    CHECK(find(fs, "handshake-never")->evidence.find("wrong public key") != std::string::npos);
    f.after.device.peers[0].tx_bytes = 0;
    f.after.device.peers[0].endpoint.reset();
    f.endpoint_routes.clear();
    fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "endpoint")->severity == Severity::note);
    CHECK(doctor_exit_code(fs) == 0);
}

TEST_CASE("stale: a problem only while tx grows without an answer") {
    auto f = healthy();
    f.after.device.peers[0].last_handshake =
        std::chrono::system_clock::time_point(std::chrono::seconds(NOW - 300));
    f.after.device.peers[0].rx_bytes = 1000; // nothing received during the sample
    auto fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "handshake-stale")->severity == Severity::problem);
    CHECK(find(fs, "handshake-stale")->fix.find("persistent-keepalive 25") != std::string::npos);
    f.after.device.peers[0].tx_bytes = 1000; // idle
    fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "handshake-stale")->severity == Severity::note);
    // --stale-after moves the threshold.
    f = healthy();
    auto o = options();
    o.stale_after = std::chrono::seconds(5);
    CHECK(find(diagnose(f, HostFacts{}, o), "handshake-stale"));
}

TEST_CASE("packets received but not delivered: inner source outside the allowed IPs") {
    auto f = healthy();
    f.link_rx_after = f.link_rx_before;
    auto fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "source-not-allowed")->severity == Severity::warning);
}

TEST_CASE("the kernel's rx_frame_errors: a warning while they grow, a note for old ones") {
    auto f = healthy();
    f.kernel = true;
    // The kernel does not count these packets in the link's or the peer's rx: the inference
    // made for wireguard-go does not apply.
    f.link_rx_after = f.link_rx_before;
    f.rx_frame_errors_before = 3;
    f.rx_frame_errors_after = 10;
    auto fs = diagnose(f, HostFacts{}, options());
    REQUIRE(find(fs, "source-not-allowed"));
    CHECK(find(fs, "source-not-allowed")->severity == Severity::warning);
    CHECK(find(fs, "source-not-allowed")->peer.empty());
    CHECK(find(fs, "source-not-allowed")->evidence.rfind("7 packets were dropped during", 0) == 0);
    CHECK(find(fs, "source-not-allowed")->evidence.find("wg0's rx_frame_errors") !=
          std::string::npos);
    CHECK(std::count_if(fs.begin(), fs.end(),
                        [](auto& x) { return x.check == "source-not-allowed"; }) == 1);
    CHECK(doctor_exit_code(fs) == 1);
    f.rx_frame_errors_before = 10;
    fs = diagnose(f, HostFacts{}, options());
    REQUIRE(find(fs, "source-not-allowed"));
    CHECK(find(fs, "source-not-allowed")->severity == Severity::note);
    CHECK(doctor_exit_code(fs) == 0);
    f.rx_frame_errors_before = f.rx_frame_errors_after = 0;
    CHECK_FALSE(find(diagnose(f, HostFacts{}, options()), "source-not-allowed"));
}

TEST_CASE("allowed IPs: nesting, no route, full tunnel without rules, endpoint loop") {
    auto f = healthy();
    f.after.device.peers.push_back(peer(PEER_B, {"0.0.0.0/0"}, NOW - 5, 0, 0));
    f.allowed_routes = {{"beta", *IpPrefix::parse("198.51.100.2/32"), "eth0"},
                        {PEER_B, *IpPrefix::parse("0.0.0.0/0"), "eth0"}};
    f.endpoint_routes.push_back({PEER_B, EndpointRoute{"wg0", 1420, true}});
    auto fs = diagnose(f, HostFacts{}, options());
    CHECK(find(fs, "allowed-ips-shadowed")->severity == Severity::note);
    CHECK(find(fs, "allowed-ips-route")->fix == "ip route add 198.51.100.2/32 dev wg0");
    CHECK(find(fs, "full-tunnel-rules")->severity == Severity::warning);
    CHECK(find(fs, "endpoint-loop")->severity == Severity::problem);
}

TEST_CASE("host: forwarding for subnets, IPv6 leak, IPv6 disabled") {
    auto f = healthy();
    f.after.device.peers[0].allowed_ips.push_back({*IpPrefix::parse("10.9.0.0/16"), false});
    f.after.device.peers[0].allowed_ips.push_back({*IpPrefix::parse("0.0.0.0/0"), false});
    HostFacts h;
    h.ipv6_route_outside = "eth0";
    auto fs = diagnose(f, h, options());
    CHECK(find(fs, "forwarding")->severity == Severity::warning);
    CHECK(find(fs, "ipv6-leak")->evidence.find("via eth0") != std::string::npos);
    h = HostFacts{};
    h.ipv4_forwarding = true;
    h.ipv6_disabled = true;
    fs = diagnose(f, h, options());
    CHECK_FALSE(find(fs, "forwarding"));
    CHECK(find(fs, "ipv6-disabled")->severity == Severity::note);
}

TEST_CASE("--peer limits the peer findings, and output forms") {
    auto f = healthy();
    f.after.device.peers.push_back(peer(PEER_B, {"203.0.113.0/24"}, 0, 0, 50));
    auto o = options();
    o.peer = PEER_A;
    auto fs = diagnose(f, HostFacts{}, o);
    CHECK_FALSE(find(fs, "handshake-never"));
    o.peer = PEER_B;
    fs = diagnose(f, HostFacts{}, o);
    REQUIRE(find(fs, "handshake-never"));
    CHECK(format_findings({*find(fs, "handshake-never")})
              .rfind("problem wg0 peer " + std::string(PEER_B) + ": ", 0) == 0);
    auto json = format_findings_json(fs);
    CHECK(json.rfind("{\n  \"exit\": 2,\n  \"findings\": [", 0) == 0);
    CHECK(probe_address(*IpPrefix::parse("10.0.0.0/24")).to_string() == "10.0.0.1");
    CHECK(probe_address(*IpPrefix::parse("10.0.0.7/32")).to_string() == "10.0.0.7");
    CHECK(probe_address(*IpPrefix::parse("0.0.0.0/0")).to_string() == "198.18.0.1");
}

TEST_CASE("wgx-engine's own per-peer counter of packets dropped for their inner source") {
    auto f = healthy();
    f.after.device.peers.push_back(peer(PEER_B, {"203.0.113.7/32"}, NOW - 5, 0, 0));
    f.before.peers.push_back(peer(PEER_B, {"203.0.113.7/32"}, NOW - 5, 0, 0));
    f.source_drops_before = std::map<std::string, std::uint64_t>{{PEER_A, 3}, {PEER_B, 1}};
    f.source_drops_after = f.source_drops_before;
    // The link saw nothing while beta's rx grew: with the counter, no guessing from rx.
    f.link_rx_after = f.link_rx_before;
    CHECK(doctor_exit_code(diagnose(f, HostFacts{}, options())) == 0);
    (*f.source_drops_after)[PEER_B] = 8;
    auto fs = diagnose(f, HostFacts{}, options());
    REQUIRE(find(fs, "source-not-allowed"));
    CHECK(std::count_if(fs.begin(), fs.end(),
                        [](auto& x) { return x.check == "source-not-allowed"; }) == 1);
    // Named: the peer without a name by its key.
    CHECK(find(fs, "source-not-allowed")->peer == PEER_B);
    CHECK(find(fs, "source-not-allowed")
              ->evidence.rfind("7 packets from this peer were dropped", 0) == 0);
    CHECK(doctor_exit_code(fs) == 1);
    // beta (named) too; a peer that appeared between the samples counts from 0.
    (*f.source_drops_after)[PEER_A] = 5;
    f.source_drops_before->erase(PEER_B);
    fs = diagnose(f, HostFacts{}, options());
    std::vector<std::string> who;
    for (const auto& x : fs)
        if (x.check == "source-not-allowed")
            who.push_back(x.peer + " " + x.evidence.substr(0, x.evidence.find(' ')));
    CHECK(who == std::vector<std::string>{"beta 2", std::string(PEER_B) + " 8"});
    // --peer selects.
    auto o = options();
    o.peer = "beta";
    fs = diagnose(f, HostFacts{}, o);
    CHECK(find(fs, "source-not-allowed")->peer == "beta");
}
