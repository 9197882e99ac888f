#include <doctest/doctest.h>

#include "config/config_reader.hpp"
#include "config/endpoint_names.hpp"

using namespace wgx;

TEST_CASE("endpoint names: collected before resolution, written and read back") {
    auto f = config::read_config_text(
        "[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
        "Endpoint = vpn.example.test:51820\n[Peer]\n"
        "PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\nEndpoint = 198.51.100.1:1\n",
        config::Mode::quick, "wg0.conf");
    REQUIRE(f);
    auto names = config::endpoint_names_of(f->device);
    REQUIRE(names.size() == 1);
    std::string text = config::format_endpoint_names(names);
    CHECK(text == "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= vpn.example.test:51820\n");
    auto back = config::parse_endpoint_names(text, "f");
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    CHECK((*back)[0].public_key == names[0].public_key);
    CHECK((*back)[0].endpoint == "vpn.example.test:51820");
}

TEST_CASE("endpoint names: a damaged line is named") {
    auto r = config::parse_endpoint_names("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= a:1\nbad\n",
                                          "/run/wgx-quick/wg0.endpoints");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "/run/wgx-quick/wg0.endpoints:2: not \"PUBLIC-KEY HOST:PORT\"");
}
