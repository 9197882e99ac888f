#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "uapi/client.hpp"

using namespace wgx;

namespace {
// A get reply captured from wireguard-go 0.0.20220316 (Debian 12).
const std::string GO_REPLY =
    "private_key=4875b7a0f45d022fa4ec3cc76b932e7f41194802bdd7fcc4c56dde879448dd4a\n"
    "listen_port=51820\nfwmark=4660\n"
    "public_key=8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709\n"
    "preshared_key=0000000000000000000000000000000000000000000000000000000000000000\n"
    "protocol_version=1\nendpoint=192.0.2.1:51820\nlast_handshake_time_sec=0\n"
    "last_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=0\n"
    "public_key=210bf892ed4376434d9d5264ba9b47cf3ad5246018ea4caa249fd593253f9669\n"
    "preshared_key=ac531234c44275e0859bda7fa0b57fd872588d315c9c932118c13bd41e554b39\n"
    "protocol_version=1\nendpoint=[fd00::5]:1234\nlast_handshake_time_sec=1700000000\n"
    "last_handshake_time_nsec=123456789\ntx_bytes=1024\nrx_bytes=18446744073709551615\n"
    "persistent_keepalive_interval=25\nallowed_ip=10.0.0.0/24\nallowed_ip=fd00::/64\n"
    "allowed_ip=192.0.2.7/32\nerrno=0\n\n";
} // namespace

TEST_CASE("parses a wireguard-go get reply") {
    REQUIRE(uapi::reply_complete(GO_REPLY));
    CHECK_FALSE(uapi::reply_complete(GO_REPLY.substr(0, GO_REPLY.size() - 1)));
    auto r = uapi::parse_get_reply(GO_REPLY, "wg0");
    REQUIRE(r);
    CHECK(r->name == "wg0");
    CHECK(r->private_key->to_base64() == "SHW3oPRdAi+k7DzHa5Muf0EZSAK91/zExW3eh5RI3Uo=");
    CHECK(r->public_key->to_base64() == "QFmYzcgQHDxWNbG9sCabskvWi1HqHsiFl5UA7Qh9Vx0=");
    CHECK(r->listen_port == 51820);
    CHECK(r->fwmark == 0x1234u);
    REQUIRE(r->peers.size() == 2);
    const auto& a = r->peers[0];
    CHECK_FALSE(a.preshared_key); // zeros mean none
    CHECK(a.protocol_version == 1u);
    CHECK(a.last_handshake->time_since_epoch().count() == 0);
    const auto& b = r->peers[1];
    CHECK(b.public_key.to_base64() == "IQv4ku1DdkNNnVJkuptHzzrVJGAY6kyqJJ/VkyU/lmk=");
    CHECK(b.endpoint->to_string() == "[fd00::5]:1234");
    CHECK(std::chrono::duration_cast<std::chrono::nanoseconds>(b.last_handshake->time_since_epoch())
              .count() == 1700000000123456789LL);
    CHECK(b.tx_bytes == 1024u);
    CHECK(b.rx_bytes == 18446744073709551615ULL);
    CHECK(b.persistent_keepalive == 25);
    REQUIRE(b.allowed_ips.size() == 3);
    CHECK(b.allowed_ips[1].prefix.to_string() == "fd00::/64");
}

TEST_CASE("get reply errors carry wg's errno") {
    auto code = [](std::string_view reply) {
        auto r = uapi::parse_get_reply(reply);
        REQUIRE_FALSE(r);
        return r.error().code;
    };
    CHECK(code("errno=19\n\n") == 19);
    CHECK(code("errno=-22\n\n") == 22);
    CHECK(code("listen_port=1\n\n") == EPROTO);              // no errno line
    CHECK(code("listen_port=1\nerrno=0\n") == EPROTO);       // unterminated
    CHECK(code("listen_port=65536\nerrno=0\n\n") == EPROTO); // out of range
    CHECK(code("garbage\nerrno=0\n\n") == EPROTO);
    CHECK(code("public_key=zz\nerrno=0\n\n") == EPROTO);
    CHECK(code("public_key=8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709\n"
               "allowed_ip=10.0.0.0\nerrno=0\n\n") == EPROTO);
    CHECK(code("public_key=8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709\n"
               "endpoint=host.example:1\nerrno=0\n\n") == ENETUNREACH);
    // Unknown keys are skipped, as wg does (newer servers may add some).
    CHECK(uapi::parse_get_reply("future_key=1\nerrno=0\n\n"));
    CHECK(uapi::parse_get_reply("errno=0\n\n")->peers.empty());
}

TEST_CASE("set replies") {
    CHECK(uapi::parse_set_reply("errno=0\n\n"));
    auto r = uapi::parse_set_reply("errno=-22\n\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == EINVAL);
    CHECK(uapi::parse_set_reply("errno=-98\n\n").error().code == EADDRINUSE);
    CHECK(uapi::parse_set_reply("").error().code == EPROTO);
    CHECK(uapi::parse_set_reply("errno=x\n\n").error().code == EPROTO);
}

TEST_CASE("set request in wg's order") {
    model::Device d;
    d.private_key = model::Key::from_base64("SHW3oPRdAi+k7DzHa5Muf0EZSAK91/zExW3eh5RI3Uo=");
    d.listen_port = 51820;
    d.fwmark = 0;
    d.replace_peers = true;
    model::Peer gone;
    gone.public_key = *model::Key::from_base64("iujVuG/x9DGlNxbgQOBMNdy+wRo9Uf/Vy6xCYz7qRwk=");
    gone.remove = true;
    gone.persistent_keepalive = 5; // ignored: a removal says nothing else
    model::Peer p;
    p.public_key = *model::Key::from_base64("IQv4ku1DdkNNnVJkuptHzzrVJGAY6kyqJJ/VkyU/lmk=");
    p.update_only = true;
    p.preshared_key = model::Key{};
    p.endpoint = Endpoint::parse("[fd00::5]:1234");
    p.persistent_keepalive = 0;
    p.replace_allowed_ips = true;
    p.allowed_ips = {{*IpPrefix::parse("10.0.0.1/24"), false},
                     {*IpPrefix::parse("fd00::/64"), true}};
    d.peers = {gone, p};
    CHECK(uapi::encode_set_request(d) ==
          "set=1\n"
          "private_key=4875b7a0f45d022fa4ec3cc76b932e7f41194802bdd7fcc4c56dde879448dd4a\n"
          "listen_port=51820\nfwmark=0\nreplace_peers=true\n"
          "public_key=8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709\n"
          "remove=true\n"
          "public_key=210bf892ed4376434d9d5264ba9b47cf3ad5246018ea4caa249fd593253f9669\n"
          "update_only=true\n"
          "preshared_key=0000000000000000000000000000000000000000000000000000000000000000\n"
          "endpoint=[fd00::5]:1234\npersistent_keepalive_interval=0\nreplace_allowed_ips=true\n"
          "allowed_ip=10.0.0.1/24\nallowed_ip=-fd00::/64\n\n");
    CHECK(uapi::encode_get_request() == "get=1\n\n");
}

TEST_CASE("handshake time: a repeated key overwrites, huge values saturate") {
    const std::string pk =
        "public_key=8ae8d5b86ff1f431a53716e040e04c35dcbec11a3d51ffd5cbac42633eea4709\n";
    auto r = uapi::parse_get_reply(pk + "last_handshake_time_sec=5\nlast_handshake_time_sec=7\n"
                                        "last_handshake_time_nsec=9\nerrno=0\n\n");
    REQUIRE(r);
    CHECK(std::chrono::duration_cast<std::chrono::nanoseconds>(
              r->peers[0].last_handshake->time_since_epoch())
              .count() == 7000000009LL);
    auto big =
        uapi::parse_get_reply(pk + "last_handshake_time_sec=9223372036854775807\n"
                                   "last_handshake_time_nsec=9223372036854775807\nerrno=0\n\n");
    REQUIRE(big);
    CHECK(big->peers[0].last_handshake->time_since_epoch().count() > 0);
}

namespace {
/// The device as text that covers every field (the encoder is the reference's format).
std::string dump_of(const Result<model::Device>& r) {
    REQUIRE(r);
    std::string out = r->name + "|" + (r->private_key ? r->private_key->to_hex() : "-") + "|" +
                      std::to_string(r->listen_port.value_or(0)) + "|" +
                      std::to_string(r->fwmark.value_or(0)) + "\n";
    for (const auto& p : r->peers) {
        out += p.public_key.to_hex() + " " + (p.preshared_key ? p.preshared_key->to_hex() : "-") +
               " " + (p.endpoint ? p.endpoint->to_string() : "-") + " " +
               std::to_string(p.last_handshake->time_since_epoch().count()) + " " +
               std::to_string(p.rx_bytes.value_or(0)) + " " +
               std::to_string(p.tx_bytes.value_or(0)) + " " +
               std::to_string(p.persistent_keepalive.value_or(0));
        for (const auto& a : p.allowed_ips)
            out += " " + a.prefix.to_string();
        out += "\n";
    }
    return out;
}

Result<model::Device> parse_in_pieces(std::string_view reply, std::size_t cut1, std::size_t cut2) {
    uapi::GetReplyParser parser("wg0");
    cut1 = std::min(cut1, reply.size());
    cut2 = std::min(std::max(cut1, cut2), reply.size());
    bool done = parser.feed(reply.substr(0, cut1));
    if (!done)
        done = parser.feed(reply.substr(cut1, cut2 - cut1));
    if (!done)
        parser.feed(reply.substr(cut2));
    return parser.finish();
}
} // namespace

TEST_CASE("a get reply parsed as it arrives, cut anywhere, gives the same device") {
    const std::string whole = dump_of(uapi::parse_get_reply(GO_REPLY, "wg0"));
    // Every pair of cuts: lines split at any byte, including right before and after a newline.
    for (std::size_t a = 0; a <= GO_REPLY.size(); ++a)
        for (std::size_t b = a; b <= GO_REPLY.size(); b += 7)
            REQUIRE(dump_of(parse_in_pieces(GO_REPLY, a, b)) == whole);
    uapi::GetReplyParser bytewise("wg0");
    std::size_t fed = 0;
    while (fed < GO_REPLY.size() && !bytewise.feed(std::string_view(GO_REPLY).substr(fed, 1)))
        ++fed;
    CHECK(fed == GO_REPLY.size() - 1); // done at the empty line's newline, not before
    CHECK(dump_of(bytewise.finish()) == whole);
}

TEST_CASE("a get reply parsed as it arrives fails as the whole one does") {
    auto code_in_pieces = [](std::string_view reply) {
        std::vector<int> codes;
        for (std::size_t cut = 0; cut <= reply.size(); ++cut) {
            auto r = parse_in_pieces(reply, cut, cut);
            REQUIRE_FALSE(r);
            codes.push_back(r.error().code);
        }
        auto whole = uapi::parse_get_reply(reply);
        REQUIRE_FALSE(whole);
        for (int c : codes)
            CHECK(c == whole.error().code);
        return whole.error().code;
    };
    CHECK(code_in_pieces(GO_REPLY.substr(0, GO_REPLY.size() - 1)) == EPROTO); // no empty line
    CHECK(code_in_pieces("listen_port=1\nlisten_port\nerrno=0\n\n") == EPROTO);
    CHECK(code_in_pieces("listen_port=1\n\n") == EPROTO); // no errno line
    CHECK(code_in_pieces("errno=-19\n\n") == 19);
    CHECK(code_in_pieces("public_key=" + std::string(64, '1') +
                         "\nendpoint=nohost:1\nerrno=0\n\n") == ENETUNREACH);
    // A failed line ends the parse: what follows is not needed.
    uapi::GetReplyParser parser;
    CHECK(parser.feed("bad line\n"));
    CHECK_FALSE(parser.finish());
}
