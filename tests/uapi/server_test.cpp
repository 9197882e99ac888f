#include <doctest/doctest.h>

#include <string_view>
#include <type_traits>

#include "uapi/client.hpp"
#include "uapi/server.hpp"

using namespace wgx;
using Kind = uapi::ServerEvent::Kind;

namespace {

const std::string HP = "210bf892ed4376434d9d5264ba9b47cf3ad5246018ea4caa249fd593253f9669";

std::vector<uapi::ServerEvent> events_of(std::string_view bytes, bool eof = false) {
    uapi::RequestParser p;
    p.feed(bytes);
    if (eof)
        p.feed_eof();
    std::vector<uapi::ServerEvent> out;
    while (auto e = p.next())
        out.push_back(std::move(*e));
    return out;
}

/// The errno the server answers a single set request with (0 = accepted).
int set_errno(const std::string& body) {
    auto ev = events_of("set=1\n" + body + "\n");
    REQUIRE(ev.size() == 1);
    return ev[0].kind == Kind::error ? ev[0].code : 0;
}

model::Device sample_state() {
    auto r = uapi::parse_get_reply(
        "private_key=4875b7a0f45d022fa4ec3cc76b932e7f41194802bdd7fcc4c56dde879448dd4a\n"
        "listen_port=51820\nfwmark=4660\n"
        "public_key=" +
        HP +
        "\npreshared_key=ac531234c44275e0859bda7fa0b57fd872588d315c9c932118c13bd41e554b39\n"
        "protocol_version=1\nendpoint=[fd00::5]:1234\nlast_handshake_time_sec=1700000000\n"
        "last_handshake_time_nsec=5\ntx_bytes=7\nrx_bytes=9\npersistent_keepalive_interval=25\n"
        "allowed_ip=10.0.0.0/24\nallowed_ip=fd00::/64\nerrno=0\n\n");
    REQUIRE(r);
    return *r;
}

} // namespace

// Each errno below was observed from wireguard-go 0.0.20220316 for the same request.
TEST_CASE("set requests rejected with the reference's errno values") {
    const std::string pk = "public_key=" + HP + "\n";
    struct Case {
        std::string body;
        int code;
    };
    const Case cases[] = {
        {"foo=bar\n", 22},
        {"listen_port\n", 71},
        {"listen_port=65536\n", 22},
        {"listen_port=+5\n", 22},
        {"listen_port=\n", 22},
        {"fwmark=0x1\n", 22},
        {"fwmark=4294967296\n", 22},
        {"replace_peers=True\n", 22},
        {"private_key=abc\n", 22},
        {"public_key=abcd\n", 22},
        {pk + "allowed_ip=10.0.0.0\n", 22},
        {pk + "allowed_ip=010.0.0.0/8\n", 22},
        {pk + "allowed_ip=10.0.0.0/\n", 22},
        {pk + "allowed_ip=10.0.0.0/33\n", 22},
        {pk + "allowed_ip=fd00::%lo/8\n", 22},
        {pk + "allowed_ip=1.2.3.4/32/1\n", 22},
        {pk + "protocol_version=2\n", 22},
        {pk + "replace_peers=true\n", 22},
        {pk + "endpoint=1.2.3.4\n", 22},
        {pk + "endpoint=[1.2.3.4]:5\n", 22},
        {pk + "endpoint=host:5\n", 22},
        {pk + "endpoint=fd00::1:5\n", 22},
        {pk + "endpoint=1.2.3.4:65536\n", 22},
        {pk + "endpoint=1.2.3.4:+5\n", 22},
        {pk + "endpoint=01.2.3.4:5\n", 22},
        {pk + "persistent_keepalive_interval=65536\n", 22},
        {pk + "update_only=1\n", 22},
        {pk + "remove=yes\n", 22},
        {pk + "replace_allowed_ips=false\n", 22},
        {pk + "preshared_key=00\n", 22},
        {pk + "last_handshake_time_sec=1\n", 22},
        {pk + "listen_port=1\n", 22},
        // Accepted by the reference:
        {"private_key=" + std::string(64, 'A') + "\n", 0},
        {"listen_port=00080\n", 0},
        {pk + "allowed_ip=10.0.0.1/8\n", 0},
        {pk + "allowed_ip=10.0.0.0/08\n", 0},
        {pk + "allowed_ip=10.0.0.0/+8\n", 0},
        {pk + "allowed_ip=::ffff:1.2.3.4/128\n", 0},
        {pk + "allowed_ip=-10.0.0.0/8\n", 0}, // newer reference: a removal
        {pk + "endpoint=1.2.3.4:0\n", 0},
        {pk + "endpoint=1.2.3.4:05\n", 0},
        {pk + "endpoint=[::ffff:1.2.3.4]:5\n", 0},
        {pk + "endpoint=[fe80::1%lo]:5\n", 0},
        {pk + "protocol_version=1\nupdate_only=true\nremove=true\n", 0},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        CHECK(set_errno(c.body) == c.code);
    }
}

TEST_CASE("operations: get, unknown op closes, trailing byte after get=1") {
    auto ev = events_of("get=1\n\nget=1\n\n");
    REQUIRE(ev.size() == 2);
    CHECK(ev[1].kind == Kind::get);
    ev = events_of("get=1\nxget=1\n\n");
    REQUIRE(ev.size() == 2);
    CHECK(ev[0].kind == Kind::error);
    CHECK(ev[0].code == uapi::kErrInvalid);
    CHECK(ev[1].kind == Kind::get);
    for (const char* bad : {"get=2\n\n", "set=1\r\n\r\n", "\n", "hello\n"}) {
        CAPTURE(bad);
        ev = events_of(bad);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].kind == Kind::close);
    }
}

TEST_CASE("stream: byte-at-a-time feeding, CRLF body lines, EOF completes a set") {
    const std::string req =
        "set=1\nlisten_port=1234\r\npublic_key=" + HP + "\nallowed_ip=192.0.2.0/24\n\n";
    uapi::RequestParser p;
    for (char c : req) {
        CHECK_FALSE(p.next());
        p.feed(std::string_view(&c, 1));
    }
    auto e = p.next();
    REQUIRE(e);
    CHECK(e->kind == Kind::set);
    CHECK(e->update.listen_port == 1234);
    CHECK(e->update.peers.size() == 1);

    auto ev = events_of("set=1\nlisten_port=1235", true);
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].kind == Kind::set);
    CHECK(ev[0].update.listen_port == 1235);
    // An error skips the rest of its request; the next one is parsed.
    ev = events_of("set=1\nbogus\nlisten_port=1\n\nget=1\n\n");
    REQUIRE(ev.size() == 2);
    CHECK(ev[0].code == uapi::kErrProtocol);
    CHECK(ev[1].kind == Kind::get);
    // An endless line is refused without unbounded buffering.
    uapi::RequestParser big;
    big.feed("set=1\nlisten_port=");
    big.feed(std::string(uapi::kMaxLineLength + 10, '1'));
    auto be = big.next();
    REQUIRE(be);
    CHECK(be->code == uapi::kErrIo);
}

TEST_CASE("set semantics kept in order") {
    auto ev =
        events_of("set=1\nreplace_peers=true\npublic_key=" + HP +
                  "\nallowed_ip=10.0.0.0/8\nreplace_allowed_ips=true\nallowed_ip=192.0.2.0/24\n"
                  "allowed_ip=-192.0.2.0/24\npublic_key=" +
                  HP + "\nremove=true\nendpoint=1.2.3.4:5\n\n");
    REQUIRE(ev.size() == 1);
    REQUIRE(ev[0].kind == Kind::set);
    const auto& u = ev[0].update;
    CHECK(u.replace_peers);
    REQUIRE(u.peers.size() == 2);
    CHECK(u.peers[0].replace_allowed_ips);
    REQUIRE(u.peers[0].allowed_ips.size() == 2); // 10/8 came before the replace
    CHECK(u.peers[0].allowed_ips[0].prefix.to_string() == "192.0.2.0/24");
    CHECK(u.peers[0].allowed_ips[1].remove);
    CHECK(u.peers[1].remove);
    CHECK_FALSE(u.peers[1].endpoint); // after remove: checked, not applied
}

TEST_CASE("get reply matches the reference's order and format") {
    auto state = sample_state();
    CHECK(std::string_view(uapi::encode_get_reply(state)) ==
          "private_key=4875b7a0f45d022fa4ec3cc76b932e7f41194802bdd7fcc4c56dde879448dd4a\n"
          "listen_port=51820\nfwmark=4660\n"
          "public_key=" +
              HP +
              "\npreshared_key=ac531234c44275e0859bda7fa0b57fd872588d315c9c932118c13bd41e554b39\n"
              "protocol_version=1\nendpoint=[fd00::5]:1234\nlast_handshake_time_sec=1700000000\n"
              "last_handshake_time_nsec=5\ntx_bytes=7\nrx_bytes=9\n"
              "persistent_keepalive_interval=25\n"
              "allowed_ip=10.0.0.0/24\nallowed_ip=fd00::/64\nerrno=0\n\n");
    CHECK(uapi::encode_get_reply(model::Device{}) == "errno=0\n\n");
    CHECK(uapi::encode_errno(22) == "errno=-22\n\n");
}

TEST_CASE("round trips: get reply encode -> parse, set request encode -> parse") {
    auto state = sample_state();
    auto back = uapi::parse_get_reply(uapi::encode_get_reply(state), state.name);
    REQUIRE(back);
    CHECK(uapi::encode_get_reply(*back) == uapi::encode_get_reply(state));
    CHECK(back->peers[0].last_handshake == state.peers[0].last_handshake);

    model::Device update = state;
    update.replace_peers = true;
    update.peers[0].replace_allowed_ips = true;
    update.peers[0].update_only = true;
    update.peers[0].allowed_ips.push_back({*IpPrefix::parse("198.51.100.0/24"), true});
    model::Peer removed;
    removed.public_key = *model::Key::from_hex(std::string(63, '1') + "2");
    removed.remove = true;
    update.peers.push_back(removed);
    auto ev = events_of(uapi::encode_set_request(update));
    REQUIRE(ev.size() == 1);
    REQUIRE(ev[0].kind == Kind::set);
    const auto& u = ev[0].update;
    CHECK(uapi::encode_set_request(u) == uapi::encode_set_request(update));
    CHECK(u.private_key == update.private_key);
    CHECK(u.peers[0].endpoint == update.peers[0].endpoint);
    CHECK(u.peers[0].allowed_ips == update.peers[0].allowed_ips);
    CHECK(u.peers[1].remove);
}

TEST_CASE("key-carrying texts are built in wiping memory: get reply and set request") {
    static_assert(std::is_same_v<decltype(uapi::encode_get_reply(model::Device{})), SecretString>);
    static_assert(
        std::is_same_v<decltype(uapi::encode_set_request(model::Device{})), SecretString>);
    auto state = sample_state();
    REQUIRE(state.private_key);
    const std::string hex = state.private_key->to_hex();
    CHECK(std::string_view(uapi::encode_get_reply(state)).find("private_key=" + hex + "\n") == 0);
    CHECK(std::string_view(uapi::encode_set_request(state)).find("private_key=" + hex + "\n") ==
          std::string_view("set=1\n").size());
}

TEST_CASE("a get reply made a piece at a time is the same bytes, whatever the piece size") {
    model::Device state = sample_state();
    for (int i = 0; i < 5; ++i) { // peers without endpoint, psk or allowed IPs as well
        model::Peer p;
        p.public_key = *model::Key::from_hex(std::string(63, '0') + char('1' + i));
        if (i % 2)
            p.allowed_ips.push_back(
                {*IpPrefix::parse("192.0.2." + std::to_string(i) + "/32"), false});
        state.peers.push_back(p);
    }
    const SecretString whole = uapi::encode_get_reply(state);
    for (std::size_t budget = 1; budget <= whole.size() + 1; ++budget) {
        uapi::GetReplyEncoder encoder(state);
        SecretString joined, piece;
        int pieces = 0;
        bool done = false;
        while (!done) {
            piece.clear();
            done = encoder.append_some(piece, budget);
            REQUIRE(!piece.empty());
            // Whole lines only, and a piece goes over its budget by one peer at most.
            CHECK(piece.back() == '\n');
            CHECK(piece.size() < budget + 512);
            joined += piece;
            REQUIRE(++pieces <= int(state.peers.size()) + 2);
        }
        CHECK(encoder.done());
        CHECK(joined == whole);
        piece.clear();
        CHECK(encoder.append_some(piece, budget)); // nothing more once done
        CHECK(piece.empty());
    }
    uapi::GetReplyEncoder empty{model::Device{}};
    SecretString out;
    CHECK(empty.append_some(out, 1));
    CHECK(out == "errno=0\n\n");
}
