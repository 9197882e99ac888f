#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/show_format.hpp"
#include "cli/terminal.hpp"
#include "support/plain_text.hpp"

using wgx::test::plain;

using namespace wgx;
using wgx::cli::format_bytes;
using wgx::cli::format_duration;
using wgx::cli::strip_ansi;

namespace {

model::Key key_of(const char* b64) {
    return *model::Key::from_base64(b64);
}

const char* PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
const char* PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
const char* PEER_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PEER_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
const char* PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

std::chrono::system_clock::time_point at(long long sec, long long nsec = 0) {
    return std::chrono::system_clock::time_point(std::chrono::seconds(sec) +
                                                 std::chrono::nanoseconds(nsec));
}

model::Device sample() {
    model::Device d;
    d.name = "wgtest0";
    d.private_key = key_of(PRIV);
    d.public_key = key_of(PUB);
    d.listen_port = 51820;
    d.fwmark = 0xffffffff;
    model::Peer a;
    a.public_key = key_of(PEER_A);
    a.allowed_ips.push_back({*IpPrefix::parse("10.0.0.0/8"), false});
    a.allowed_ips.push_back({*IpPrefix::parse("fd00::/64"), false});
    model::Peer b;
    b.public_key = key_of(PEER_B);
    b.preshared_key = key_of(PSK);
    b.endpoint = Endpoint::parse("[fd00::1]:51820");
    b.last_handshake = at(1000 - 63);
    b.rx_bytes = 1239;
    b.tx_bytes = 3565158;
    b.persistent_keepalive = 25;
    d.peers = {a, b};
    return d;
}

} // namespace

TEST_CASE("durations and byte counts are worded as wg words them") {
    CHECK(strip_ansi(format_duration(63)) == "1 minute, 3 seconds");
    CHECK(strip_ansi(format_duration(1)) == "1 second");
    CHECK(strip_ansi(format_duration(365ULL * 86400 + 2 * 86400 + 3600)) ==
          "1 year, 2 days, 1 hour");
    CHECK(format_duration(60) == "1 \x1b[36mminute\x1b[0m");
    CHECK(strip_ansi(format_bytes(1023)) == "1023 B");
    CHECK(strip_ansi(format_bytes(1239)) == "1.21 KiB");
    CHECK(strip_ansi(format_bytes(3565158)) == "3.40 MiB");
    CHECK(strip_ansi(format_bytes(5ULL << 30)) == "5.00 GiB");
    CHECK(strip_ansi(format_bytes(3ULL << 40)) == "3.00 TiB");
}

TEST_CASE("the ANSI filter drops sequences but not a tail wg leaves alone") {
    CHECK(strip_ansi("\x1b[1mbold\x1b[0m") == "bold");
    CHECK(strip_ansi("ab\x1b[") == "ab\x1b["); // starts in the last two bytes: kept
    CHECK(strip_ansi("a\x1b[36") == "a");      // unterminated: dropped to the end
}

TEST_CASE("the ANSI filter agrees with a byte-by-byte model on random text") {
    // The model marks what to drop position by position, as wg's filter does.
    auto model = [](std::string_view s) {
        std::vector<bool> drop(s.size(), false);
        for (std::size_t i = 0; s.size() >= 2 && i < s.size() - 2; ++i) {
            if (drop[i] || s[i] != '\x1b' || s[i + 1] != '[')
                continue;
            drop[i] = drop[i + 1] = true;
            std::size_t j = i + 2;
            for (; j < s.size() && !std::isalpha(static_cast<unsigned char>(s[j])); ++j)
                drop[j] = true;
            if (j < s.size())
                drop[j] = true;
        }
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (!drop[i])
                out += s[i];
        return out;
    };
    const char alphabet[] = {'\x1b', '[', 'm', 'Z', '3', ';', ' ', '\x1b', '['};
    std::uint32_t state = 12345;
    for (int n = 0; n < 5000; ++n) {
        std::string s;
        for (std::size_t len = std::size_t(n % 17); s.size() < len;) {
            state = state * 1664525u + 1013904223u;
            s += alphabet[(state >> 24) % sizeof alphabet];
        }
        CAPTURE(s);
        CHECK(strip_ansi(s) == model(s));
    }
}

TEST_CASE("pretty form: interface block, peers by latest handshake, hidden keys") {
    cli::PrettyStyle style{false, true, 1000, {}, {}};
    std::string expected = "interface: wgtest0\n"
                           "  public key: HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n"
                           "  private key: (hidden)\n"
                           "  listening port: 51820\n"
                           "  fwmark: 0xffffffff\n"
                           "\n"
                           "peer: TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=\n"
                           "  preshared key: (hidden)\n"
                           "  endpoint: [fd00::1]:51820\n"
                           "  allowed ips: (none)\n"
                           "  latest handshake: 1 minute, 3 seconds ago\n"
                           "  transfer: 1.21 KiB received, 3.40 MiB sent\n"
                           "  persistent keepalive: every 25 seconds\n"
                           "\n"
                           "peer: xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\n"
                           "  allowed ips: 10.0.0.0/8, fd00::/64\n";
    CHECK(plain(cli::format_pretty(sample(), style)) == expected);

    style.hide_keys = false;
    auto shown = plain(cli::format_pretty(sample(), style));
    CHECK(shown.find(std::string("private key: ") + PRIV) != std::string::npos);
    CHECK(shown.find(std::string("preshared key: ") + PSK) != std::string::npos);

    style.color = true;
    auto colored = plain(cli::format_pretty(sample(), style));
    CHECK(colored.rfind("\x1b[0m\x1b[32m\x1b[1minterface\x1b[0m: \x1b[32mwgtest0\x1b[0m\n", 0) ==
          0);
    CHECK(strip_ansi(colored) == strip_ansi(shown));
}

TEST_CASE("pretty form: handshake now, in the future, ties keep device order") {
    auto d = sample();
    d.peers[1].last_handshake = at(1000);
    cli::PrettyStyle style{false, true, 1000, {}, {}};
    CHECK(plain(cli::format_pretty(d, style)).find("latest handshake: Now\n") != std::string::npos);
    d.peers[1].last_handshake = at(1001);
    CHECK(plain(cli::format_pretty(d, style))
              .find("latest handshake: (System clock wound backward; "
                    "connection problems may ensue.)\n") != std::string::npos);
    // Same second: the larger nanoseconds first.
    d.peers[0].last_handshake = at(900, 5);
    d.peers[1].last_handshake = at(900, 7);
    auto text = plain(cli::format_pretty(d, style));
    CHECK(text.find(PEER_B) < text.find(PEER_A));
    d.peers[1].last_handshake.reset();
    text = plain(cli::format_pretty(d, style));
    CHECK(text.find(PEER_A) < text.find(PEER_B));
}

TEST_CASE("every show text that can hold a private or preshared key is built in wiping memory") {
    // SecretString's allocator wipes each buffer it frees (base/secret_string_test.cpp): these
    // types are what keep `WG_HIDE_KEYS=never wgx show`, `dump` and the key fields from leaving
    // the keys behind in freed memory.
    auto d = sample();
    static_assert(std::is_same_v<decltype(cli::format_pretty(d, {})), SecretString>);
    static_assert(std::is_same_v<decltype(cli::format_dump(d, false)), SecretString>);
    static_assert(
        std::is_same_v<decltype(cli::format_field(d, "", false)), std::optional<SecretString>>);
    cli::PrettyStyle shown{false, false, 1000, {}, {}};
    CHECK(plain(cli::format_pretty(d, shown)).find(PRIV) != std::string::npos);
    CHECK(plain(cli::format_pretty(d, shown)).find(PSK) != std::string::npos);
}

TEST_CASE("dump and field selectors") {
    auto d = sample();
    CHECK(plain(cli::format_dump(d, false)) ==
          std::string(PRIV) + "\t" + PUB + "\t51820\t0xffffffff\n" + PEER_A +
              "\t(none)\t(none)\t10.0.0.0/8,fd00::/64\t0\t0\t0\toff\n" + PEER_B + "\t" + PSK +
              "\t[fd00::1]:51820\t(none)\t937\t1239\t3565158\t25\n");
    CHECK(plain(cli::format_field(d, "public-key", true)) == "wgtest0\t" + std::string(PUB) + "\n");
    CHECK(plain(cli::format_field(d, "listen-port", false)) == "51820\n");
    CHECK(plain(cli::format_field(d, "allowed-ips", false)) ==
          std::string(PEER_A) + "\t10.0.0.0/8 fd00::/64\n" + PEER_B + "\t(none)\n");
    // wg 1.0.20210914 prints the interface column of `endpoints` once, before the peers.
    CHECK(plain(cli::format_field(d, "endpoints", true)) ==
          "wgtest0\t" + std::string(PEER_A) + "\t(none)\n" + PEER_B + "\t[fd00::1]:51820\n");
    CHECK(plain(cli::format_field(d, "persistent-keepalive", false)) ==
          std::string(PEER_A) + "\toff\n" + PEER_B + "\t25\n");
    CHECK(plain(cli::format_field(d, "preshared-keys", false)) ==
          std::string(PEER_A) + "\t(none)\n" + PEER_B + "\t" + PSK + "\n");
    CHECK_FALSE(plain(cli::format_field(d, "bogus", false)));
    model::Device empty;
    empty.name = "e";
    CHECK(plain(cli::format_field(empty, "fwmark", false)) == "off\n");
    CHECK(plain(cli::format_field(empty, "private-key", false)) == "(none)\n");
    CHECK(plain(cli::format_field(empty, "peers", true)) == "");
    CHECK(plain(cli::format_field(empty, "endpoints", true)) == "e\t");
    CHECK(plain(cli::format_pretty(empty, {})) == "interface: e\n");
}

TEST_CASE("--names puts a named peer's name beside its key, and nothing else changes") {
    cli::PrettyStyle unnamed{false, true, 1000, {}, {}};
    cli::PrettyStyle named{false, true, 1000, {{PEER_B, "phone"}}, {}};
    std::string without = plain(cli::format_pretty(sample(), unnamed));
    std::string with = plain(cli::format_pretty(sample(), named));
    std::string key_line = std::string("peer: ") + PEER_B + "\n";
    REQUIRE(without.find(key_line) != std::string::npos);
    std::string expected = without;
    expected.replace(expected.find(key_line), key_line.size(),
                     std::string("peer: ") + PEER_B + " (phone)\n");
    CHECK(with == expected);
}

TEST_CASE("--names puts an endpoint's host name beside its address, and nothing else changes") {
    cli::PrettyStyle unnamed{false, true, 1000, {}, {}};
    cli::PrettyStyle hosts{false, true, 1000, {}, {{key_of(PEER_B), "[vpn.example.test]:51820"}}};
    std::string without = plain(cli::format_pretty(sample(), unnamed));
    std::string with = plain(cli::format_pretty(sample(), hosts));
    const std::string line = "  endpoint: [fd00::1]:51820\n";
    REQUIRE(without.find(line) != std::string::npos);
    std::string expected = without;
    expected.replace(expected.find(line), line.size(),
                     "  endpoint: [fd00::1]:51820 (vpn.example.test)\n");
    CHECK(with == expected);
    // A host name recorded for a peer that has no endpoint now prints nothing.
    cli::PrettyStyle other{false, true, 1000, {}, {{key_of(PEER_A), "a.example.test:1"}}};
    CHECK(plain(cli::format_pretty(sample(), other)) == without);
}
