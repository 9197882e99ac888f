#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "config/set_arguments.hpp"

using namespace wgx;
using config::parse_set_arguments;

namespace {

const char* PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
const char* PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

struct TempFile {
    std::string path;
    explicit TempFile(const std::string& content) {
        char tmpl[] = "/tmp/wgx-set-args-XXXXXX";
        int fd = ::mkstemp(tmpl);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, content.data(), content.size()) == ssize_t(content.size()));
        ::close(fd);
        path = tmpl;
    }
    ~TempFile() { ::unlink(path.c_str()); }
};

Result<model::Device> parse(std::vector<std::string> args,
                            std::vector<std::string>* warnings = nullptr) {
    config::SetArgumentOptions opt;
    opt.warn = [warnings](const std::string& w) {
        if (warnings)
            warnings->push_back(w);
    };
    return parse_set_arguments(args, opt);
}

std::string error_of(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    REQUIRE_FALSE(r);
    return r.error().message;
}

} // namespace

TEST_CASE("device options") {
    auto r = parse({"listen-port", "51820", "fwmark", "0x10"});
    REQUIRE(r);
    CHECK(r->listen_port == 51820);
    CHECK(r->fwmark == 16u);
    CHECK(parse({"fwmark", "off"})->fwmark == 0u);
    CHECK(parse({"fwmark", "OFF"})->fwmark == 0u);
    CHECK(parse({"fwmark", "4294967295"})->fwmark == 0xffffffffu);
    CHECK(error_of({"fwmark", "4294967296"}) ==
          "Fwmark is neither 0/off nor 0-0xffffffff: `4294967296'");
    CHECK(error_of({"fwmark", "0x"}) == "Fwmark is neither 0/off nor 0-0xffffffff: `0x'");
    CHECK(error_of({"fwmark", "-1"}) == "Fwmark is neither 0/off nor 0-0xffffffff: `-1'");
    CHECK(error_of({"listen-port", ""}) == "Unable to parse empty port");
    CHECK(error_of({"listen-port", "abc"}) == "Servname not supported for ai_socktype: `abc'");
    CHECK(error_of({"bogus"}) == "Invalid argument: bogus");
    CHECK(error_of({"listen-port"}) == "Invalid argument: listen-port");
}

TEST_CASE("peer options and their order rules") {
    auto r = parse({"peer", PEER, "persistent-keepalive", "off", "allowed-ips",
                    " 10.0.0.0/8, fd00::1 ", "endpoint", "192.0.2.1:51820"});
    REQUIRE(r);
    REQUIRE(r->peers.size() == 1);
    const auto& p = r->peers[0];
    CHECK(p.public_key.to_base64() == PEER);
    CHECK(p.persistent_keepalive == 0);
    CHECK(p.replace_allowed_ips);
    REQUIRE(p.allowed_ips.size() == 2);
    CHECK(p.allowed_ips[0].prefix.to_string() == "10.0.0.0/8");
    CHECK(p.allowed_ips[1].prefix.to_string() == "fd00::1/128");
    REQUIRE(p.endpoint);
    CHECK(p.endpoint->to_string() == "192.0.2.1:51820");

    // Device options after a peer belong to nobody.
    CHECK(error_of({"peer", PEER, "listen-port", "1"}) == "Invalid argument: listen-port");
    CHECK(error_of({"remove"}) == "Invalid argument: remove");
    CHECK(parse({"peer", PEER, "remove"})->peers[0].remove);
    CHECK(error_of({"peer", "abc"}) == "Key is not the correct length or format: `abc'");
    CHECK(error_of({"peer", PEER, "persistent-keepalive", "65536"}) ==
          "Persistent keepalive interval is neither 0/off nor 1-65535: `65536'");
    CHECK(parse({"peer", PEER, "allowed-ips", ""})->peers[0].replace_allowed_ips);
}

TEST_CASE("allowed-ips: errors, warnings and incremental entries") {
    CHECK(error_of({"peer", PEER, "allowed-ips", "10.0.0.0/33"}) ==
          "AllowedIP is not in the correct format: `10.0.0.0/33'");
    CHECK(error_of({"peer", PEER, "allowed-ips", "10.0.0.0/"}) ==
          "AllowedIP is not in the correct format: `10.0.0.0/'");
    CHECK(error_of({"peer", PEER, "allowed-ips", "10.0.0.256"}) ==
          "Unable to parse IP address: `10.0.0.256'");
    CHECK(error_of({"peer", PEER, "allowed-ips", "10.0.0.1,"}) == "Unable to parse IP address: `'");
    CHECK(error_of({"peer", PEER, "allowed-ips", "+"}) == "Unable to parse IP address: `'");
    std::vector<std::string> warnings;
    REQUIRE(parse({"peer", PEER, "allowed-ips", "10.0.0.1/8"}, &warnings));
    CHECK(warnings ==
          std::vector<std::string>{"Warning: AllowedIP has nonzero host part: 10.0.0.1/8"});

    auto r = parse({"peer", PEER, "allowed-ips", "+10.1.0.0/16,-10.2.0.0/16,10.3.0.0/16"});
    REQUIRE(r);
    const auto& p = r->peers[0];
    CHECK_FALSE(p.replace_allowed_ips);
    REQUIRE(p.allowed_ips.size() == 3);
    CHECK_FALSE(p.allowed_ips[0].remove);
    CHECK(p.allowed_ips[1].remove);
    CHECK_FALSE(p.allowed_ips[2].remove);
}

TEST_CASE("endpoints: shape errors before resolution") {
    CHECK(error_of({"peer", PEER, "endpoint", ""}) == "Unable to parse empty endpoint");
    CHECK(error_of({"peer", PEER, "endpoint", "[fd00::1:51820"}) ==
          "Unable to find matching brace of endpoint: `[fd00::1:51820'");
    CHECK(error_of({"peer", PEER, "endpoint", "[fd00::1]51820"}) ==
          "Unable to find port of endpoint: `[fd00::1]51820'");
    CHECK(error_of({"peer", PEER, "endpoint", "192.0.2.1"}) ==
          "Unable to find port of endpoint: `192.0.2.1'");
    CHECK(error_of({"peer", PEER, "endpoint", "192.0.2.1:"}) ==
          "Unable to find port of endpoint: `192.0.2.1:'");
    auto r = parse({"peer", PEER, "endpoint", "[fd00::1]:51820"});
    REQUIRE(r);
    CHECK(r->peers[0].endpoint->to_string() == "[fd00::1]:51820");
}

TEST_CASE("key files") {
    TempFile good(std::string(PRIV) + "\n \t\n");
    auto r = parse({"private-key", good.path});
    REQUIRE(r);
    CHECK(r->private_key->to_base64() == PRIV);

    auto empty = parse({"private-key", "/dev/null"});
    REQUIRE(empty);
    CHECK(empty->private_key->is_zero());

    TempFile trailing(std::string(PRIV) + "x");
    CHECK(error_of({"private-key", trailing.path}) == "Found trailing character in key file: `x'");
    TempFile shorter("abc");
    CHECK(error_of({"private-key", shorter.path}) == "Invalid length key in key file");
    TempFile bad(std::string(43, 'A') + "!");
    CHECK(error_of({"private-key", bad.path}) ==
          "Key is not the correct length or format: `" + std::string(43, 'A') + "!'");
    CHECK(error_of({"private-key", "/nonexistent/key"}) == "fopen: No such file or directory");

    auto psk = parse({"peer", PEER, "preshared-key", "/dev/null"});
    REQUIRE(psk);
    REQUIRE(psk->peers[0].preshared_key);
    CHECK(psk->peers[0].preshared_key->is_zero());
}
