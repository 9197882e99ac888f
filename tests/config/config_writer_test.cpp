#include <doctest/doctest.h>

#include "config/config_reader.hpp"
#include "config/config_writer.hpp"

using namespace wgx;

TEST_CASE("showconf format matches wg byte for byte") {
    // Expected text captured from `wg showconf` on a wireguard-go device configured with the
    // same values (wireguard-tools 1.0.20210914).
    const std::string expected = "[Interface]\n"
                                 "ListenPort = 51820\n"
                                 "FwMark = 0x1234\n"
                                 "PrivateKey = SHW3oPRdAi+k7DzHa5Muf0EZSAK91/zExW3eh5RI3Uo=\n"
                                 "\n"
                                 "[Peer]\n"
                                 "PublicKey = IQv4ku1DdkNNnVJkuptHzzrVJGAY6kyqJJ/VkyU/lmk=\n"
                                 "PresharedKey = rFMSNMRCdeCFm9p/oLV/2HJYjTFcnJMhGME71B5VSzk=\n"
                                 "AllowedIPs = 10.0.0.0/24, fd00::/64, 192.0.2.7/32\n"
                                 "Endpoint = [fd00::5]:1234\n"
                                 "PersistentKeepalive = 25\n"
                                 "\n"
                                 "[Peer]\n"
                                 "PublicKey = iujVuG/x9DGlNxbgQOBMNdy+wRo9Uf/Vy6xCYz7qRwk=\n"
                                 "Endpoint = 192.0.2.1:51820\n";
    // showconf's output is itself a valid configuration: read it back and write it again.
    auto r = config::read_config_text(expected, config::Mode::wg, "showconf");
    REQUIRE(r);
    CHECK(std::string_view(config::write_showconf(r->device)) == expected);
}

TEST_CASE("showconf of an empty device and of zero values") {
    model::Device d;
    CHECK(config::write_showconf(d) == "[Interface]\n\n");
    d.listen_port = 0;
    d.fwmark = 0;
    d.private_key = model::Key{};
    model::Peer p;
    p.preshared_key = model::Key{};
    p.persistent_keepalive = 0;
    d.peers.push_back(p);
    CHECK(config::write_showconf(d) ==
          "[Interface]\n\n[Peer]\nPublicKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
}
