#include <doctest/doctest.h>

#include "quick/peer_sections.hpp"
#include "support/plain_text.hpp"

using wgx::test::plain;

using namespace wgx::quick;

namespace {
const char* KEY_A = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* KEY_B = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

std::string server_text() {
    return std::string("# the office\n[Interface]\nPrivateKey = x # kept\nUnknownKey = 1\n\n"
                       "[Peer]\n# Name = laptop\nPublicKey = ") +
           KEY_A + "\nAllowedIPs = 192.0.2.2/32\n\n[peer]\n#name=phone\n  public key = " + KEY_B +
           "\n# ClientConfig = /tmp/phone.conf\n";
}
} // namespace

TEST_CASE("peer sections are found with their names, keys and client files") {
    auto lines = split_lines(server_text());
    auto sections = find_peer_sections(lines);
    REQUIRE(sections.size() == 2);
    CHECK(sections[0].first == 5);
    CHECK(sections[0].end == 10);
    CHECK(sections[0].name == "laptop");
    CHECK(sections[0].public_key->to_base64() == KEY_A);
    CHECK(sections[1].name == "phone");
    CHECK(sections[1].client_config == "/tmp/phone.conf");
    CHECK(find_peer(sections, "phone") == &sections[1]);
    CHECK(find_peer(sections, KEY_A) == &sections[0]);
    CHECK(find_peer(sections, "tablet") == nullptr);
}

TEST_CASE("removing a peer keeps every other line, and undoes an append exactly") {
    auto lines = split_lines(server_text());
    auto sections = find_peer_sections(lines);
    remove_section(lines, sections[0]);
    CHECK(plain(join_lines(lines)) ==
          std::string("# the office\n[Interface]\nPrivateKey = x # kept\n"
                      "UnknownKey = 1\n\n[peer]\n#name=phone\n  public key = ") +
              KEY_B + "\n# ClientConfig = /tmp/phone.conf\n");
    std::string before = plain(join_lines(lines));
    append_section(lines, {"[Peer]", "# Name = tablet",
                           wgx::SecretString(std::string("PublicKey = ") + KEY_A)});
    auto again = find_peer_sections(lines);
    REQUIRE(again.size() == 2);
    CHECK(again[1].name == "tablet");
    remove_section(lines, again[1]);
    CHECK(plain(join_lines(lines)) == before);
}

TEST_CASE("peer names") {
    CHECK(valid_peer_name("alice-phone_2@home.example"));
    CHECK_FALSE(valid_peer_name(""));
    CHECK_FALSE(valid_peer_name("a b"));
    CHECK_FALSE(valid_peer_name("a\nb"));
    CHECK_FALSE(valid_peer_name(std::string(65, 'a')));
}
