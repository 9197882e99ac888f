#include <doctest/doctest.h>

#include <cstring>
#include <netdb.h>

#include "config/config_reader.hpp"

using namespace wgx;

TEST_CASE("WG_ENDPOINT_RESOLUTION_RETRIES parsing") {
    CHECK(*config::parse_resolution_retries(nullptr) == 15);
    CHECK(*config::parse_resolution_retries("infinity") == -1);
    CHECK(*config::parse_resolution_retries("0") == 0);
    CHECK(*config::parse_resolution_retries("2147483647") == 2147483647);
    auto bad = config::parse_resolution_retries("2147483648");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `2147483648'");
    CHECK_FALSE(config::parse_resolution_retries("forever"));
}

namespace {

struct FakeResolver {
    std::vector<int> failures; // returned in order before succeeding
    int calls = 0;
    std::vector<std::chrono::microseconds> slept;
    std::vector<std::string> warnings;

    config::ResolveOptions options(int retries) {
        config::ResolveOptions o;
        o.retries = retries;
        o.sleep = [this](std::chrono::microseconds d) { slept.push_back(d); };
        o.warn = [this](const std::string& m) { warnings.push_back(m); };
        o.getaddrinfo = [this](const char*, const char* port, const addrinfo* hints,
                               addrinfo** res) {
            if (std::size_t(calls++) < failures.size())
                return failures[std::size_t(calls - 1)];
            // The answer a resolver would give: resolve a fixed test address numerically.
            addrinfo h = *hints;
            h.ai_flags |= AI_NUMERICHOST;
            return ::getaddrinfo("198.51.100.7", port, &h, res);
        };
        return o;
    }
};

model::Device device_with_host(const std::string& host) {
    model::Device d;
    model::Peer p;
    p.endpoint_host = host;
    d.peers.push_back(p);
    return d;
}

} // namespace

TEST_CASE("resolves names, retrying temporary failures with wg's growing delay") {
    FakeResolver f;
    f.failures = {EAI_AGAIN, EAI_AGAIN, EAI_AGAIN};
    auto d = device_with_host("vpn.example:51820");
    REQUIRE(config::resolve_endpoints(d, f.options(15)));
    CHECK(d.peers[0].endpoint->to_string() == "198.51.100.7:51820");
    CHECK_FALSE(d.peers[0].endpoint_host);
    REQUIRE(f.slept.size() == 3);
    CHECK(f.slept[0].count() == 1000000);
    CHECK(f.slept[1].count() == 1200000);
    CHECK(f.slept[2].count() == 1440000);
    CHECK(f.warnings[1] == std::string(gai_strerror(EAI_AGAIN)) +
                               ": `vpn.example:51820'. Trying again in 1.20 seconds...");
}

TEST_CASE("permanent failures stop at once, retries run out, delay caps at 20 s") {
    FakeResolver perm;
    perm.failures = {EAI_NONAME};
    auto d = device_with_host("nope.invalid:1");
    auto r = config::resolve_endpoints(d, perm.options(15));
    REQUIRE_FALSE(r);
    CHECK(r.error().message == std::string(gai_strerror(EAI_NONAME)) + ": `nope.invalid:1'");
    CHECK(perm.slept.empty());
    CHECK(d.peers[0].endpoint_host); // untouched on failure

    FakeResolver temp;
    temp.failures = std::vector<int>(3, EAI_AGAIN);
    auto d2 = device_with_host("[fd00::1]:1");
    CHECK_FALSE(config::resolve_endpoints(d2, temp.options(2)));
    CHECK(temp.calls == 3);

    FakeResolver longer;
    longer.failures = std::vector<int>(40, EAI_AGAIN);
    auto d3 = device_with_host("h:1");
    REQUIRE(config::resolve_endpoints(d3, longer.options(-1)));
    CHECK(longer.slept.back().count() == 20000000);
}

TEST_CASE("inline resolution reports the endpoint's line before later lines, as wg") {
    FakeResolver f;
    f.failures = {EAI_NONAME};
    auto o = f.options(15);
    const std::string text = "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
                             "Endpoint = nope.invalid:1\nAllowedIPs = 10.0.0.1/33\n";
    auto inline_r = config::read_config_text(text, config::Mode::wg, "t.conf", &o);
    REQUIRE_FALSE(inline_r);
    CHECK(inline_r.error().message ==
          "t.conf:3: " + std::string(gai_strerror(EAI_NONAME)) + ": `nope.invalid:1'");
    // Deferred (the default): the syntax error comes first, nothing is looked up.
    auto deferred = config::read_config_text(text, config::Mode::wg, "t.conf");
    REQUIRE_FALSE(deferred);
    CHECK(deferred.error().message ==
          "t.conf:4: AllowedIP is not in the correct format: `10.0.0.1/33'");

    FakeResolver ok;
    auto o2 = ok.options(15);
    auto r = config::read_config_text(
        "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nEndpoint = "
        "vpn.example:7\n",
        config::Mode::wg, "t.conf", &o2);
    REQUIRE(r);
    CHECK(r->device.peers[0].endpoint->to_string() == "198.51.100.7:7");
    CHECK_FALSE(r->device.peers[0].endpoint_host);
}
