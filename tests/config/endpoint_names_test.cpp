#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "config/config_reader.hpp"
#include "config/endpoint_names.hpp"

using namespace wgx;

TEST_CASE("endpoint names: collected before resolution, recorded in the runtime file") {
    auto f = config::read_config_text(
        "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
        "Endpoint = vpn.example.test:51820\n[Peer]\n"
        "PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\nEndpoint = 198.51.100.1:1\n",
        config::Mode::quick, "wg0.conf");
    REQUIRE(f);
    auto names = config::endpoint_names_of(f->device);
    REQUIRE(names.size() == 1);
    CHECK(names[0].endpoint == "vpn.example.test:51820");

    char tmpl[] = "/tmp/wgx-endpoint-names-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    ::setenv("WGX_QUICK_STATE_DIR", tmpl, 1);
    auto none = config::read_endpoint_names("wg0");
    REQUIRE(none);
    CHECK(none->empty());
    CHECK(config::interfaces_with_endpoint_names().empty());
    REQUIRE(config::write_runtime_state("wg0", {"/etc/wireguard/wg0.conf", names}));
    REQUIRE(config::write_runtime_state("wg1", {"/etc/wireguard/wg1.conf", {}}));
    auto back = config::read_endpoint_names("wg0");
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    CHECK((*back)[0].public_key == names[0].public_key);
    CHECK((*back)[0].endpoint == "vpn.example.test:51820");
    // wg1 has a runtime file but no names: reresolve has nothing to do there.
    CHECK(config::interfaces_with_endpoint_names() == std::vector<std::string>{"wg0"});
    ::unsetenv("WGX_QUICK_STATE_DIR");
    std::filesystem::remove_all(tmpl);
}
