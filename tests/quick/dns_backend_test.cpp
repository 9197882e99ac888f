#include <doctest/doctest.h>

#include "config/config_reader.hpp"
#include "quick/dns_backend.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
config::ConfigFile parse(const std::string& text) {
    auto f = config::read_config_text(text, config::Mode::quick, "wg0.conf");
    REQUIRE(f);
    return std::move(*f);
}
const std::string KEY = "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";
const std::string PEER = "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n";
} // namespace

TEST_CASE("dns backend: names") {
    for (auto b : {DnsBackend::resolved, DnsBackend::resolvconf, DnsBackend::file})
        CHECK(parse_dns_backend(dns_backend_name(b)) == b);
    CHECK(!parse_dns_backend("Resolved"));
    CHECK(!parse_dns_backend(""));
    CHECK(!parse_dns_backend("systemd-resolved"));
}

TEST_CASE("dns backend: resolved first, then resolvconf, then the file, unless one is forced") {
    CHECK(choose_dns_backend(std::nullopt, true, true) == DnsBackend::resolved);
    CHECK(choose_dns_backend(std::nullopt, true, false) == DnsBackend::resolved);
    CHECK(choose_dns_backend(std::nullopt, false, true) == DnsBackend::resolvconf);
    CHECK(choose_dns_backend(std::nullopt, false, false) == DnsBackend::file);
    CHECK(choose_dns_backend(DnsBackend::file, true, true) == DnsBackend::file);
    CHECK(choose_dns_backend(DnsBackend::resolved, false, false) == DnsBackend::resolved);
}

TEST_CASE("dns backend: a ~ domain is routing-only, a full tunnel wants the default route") {
    auto s = dns_settings(parse("[Interface]\n" + KEY +
                                "DNS = 198.51.100.53, corp.example, ~internal.example, fd00::53\n" +
                                PEER + "AllowedIPs = 0.0.0.0/0\n"));
    CHECK(s.servers == std::vector<std::string>{"198.51.100.53", "fd00::53"});
    CHECK(s.search == std::vector<std::string>{"corp.example"});
    CHECK(s.routing == std::vector<std::string>{"internal.example"});
    CHECK(s.full_tunnel);
    CHECK(!s.default_route()); // split DNS: only internal.example goes to the tunnel

    auto full = dns_settings(parse("[Interface]\n" + KEY + "DNS = 198.51.100.53, corp.example\n" +
                                   PEER + "AllowedIPs = 192.0.2.0/24, ::/0\n"));
    CHECK(full.default_route());
    auto split = dns_settings(parse("[Interface]\n" + KEY + "DNS = 198.51.100.53\n" + PEER +
                                    "AllowedIPs = 192.0.2.0/24\n"));
    CHECK(!split.full_tunnel);
    CHECK(!split.default_route());
    auto root = dns_settings(parse("[Interface]\n" + KEY + "DNS = 198.51.100.53, ~.\n"));
    CHECK(root.routing == std::vector<std::string>{"."});
}

TEST_CASE("dns backend: without routing-only domains, ~ domains become search domains") {
    DnsSettings s;
    s.search = {"corp.example"};
    s.routing = {"internal.example", "."};
    std::vector<std::string> warnings;
    CHECK(search_with_routing(s, &warnings) ==
          std::vector<std::string>{"corp.example", "internal.example"});
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].find("~internal.example") != std::string::npos);
    CHECK(warnings[1].find("~.") != std::string::npos);
    s.routing.clear();
    warnings.clear();
    CHECK(search_with_routing(s, &warnings) == s.search);
    CHECK(warnings.empty());
}
