#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "config/runtime_file.hpp"

using namespace wgx::config;

namespace {
wgx::model::Key key_a() {
    return *wgx::model::Key::from_base64("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=");
}
} // namespace

TEST_CASE("the runtime file's text reads back to the state written") {
    RuntimeState state{"/etc/wireguard/wg0.conf", {{key_a(), "vpn.example.test:51820"}}};
    auto text = format_runtime_state(state);
    CHECK(text.find("ConfigPath = /etc/wireguard/wg0.conf\n") != std::string::npos);
    CHECK(text.find("Endpoint = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= "
                    "vpn.example.test:51820\n") != std::string::npos);
    auto back = parse_runtime_state(text, "wg0.runtime");
    REQUIRE(back);
    CHECK(back->config_path == "/etc/wireguard/wg0.conf");
    REQUIRE(back->endpoints.size() == 1);
    CHECK(back->endpoints[0].public_key == key_a());
    CHECK(back->endpoints[0].endpoint == "vpn.example.test:51820");
}

TEST_CASE("unknown keys are skipped so later writers can add them - garbage is an error") {
    auto state = parse_runtime_state("# c\n\nEndpointHost = x\n  ConfigPath=/a b.conf \n", "f");
    REQUIRE(state);
    CHECK(state->config_path == "/a b.conf");
    CHECK(state->endpoints.empty());
    auto bad = parse_runtime_state("ConfigPath = /x\nnonsense\n", "f.runtime");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "f.runtime:2: Line unrecognized: `nonsense'");
}

TEST_CASE("a damaged Endpoint line is named") {
    for (const char* value :
         {"bad", "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=",
          "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg= a:1 b:2", "notakey a:1"}) {
        CAPTURE(value);
        auto r = parse_runtime_state(std::string("ConfigPath = /x\nEndpoint = ") + value + "\n",
                                     "/run/wgx-quick/wg0.runtime");
        REQUIRE_FALSE(r);
        CHECK(r.error().message ==
              "/run/wgx-quick/wg0.runtime:2: not \"Endpoint = PUBLIC-KEY HOST:PORT\"");
    }
}

TEST_CASE("write, load and remove under WGX_QUICK_STATE_DIR, beside wgx-quick's records") {
    char tmpl[] = "/tmp/wgx-runtime-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    std::string dir = std::string(tmpl) + "/run";
    ::setenv("WGX_QUICK_STATE_DIR", dir.c_str(), 1);
    CHECK(runtime_dir() == dir);
    CHECK(runtime_file_path("wg7") == dir + "/wg7.runtime");
    CHECK_FALSE(read_runtime_state("wg7"));
    auto missing = load_runtime_state("wg7");
    REQUIRE(missing);
    CHECK_FALSE(*missing);
    REQUIRE(write_runtime_state("wg7", {"/tmp/x/wg7.conf", {}}));
    struct stat st {};
    REQUIRE(::stat(runtime_file_path("wg7").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto state = read_runtime_state("wg7");
    REQUIRE(state);
    CHECK(state->config_path == "/tmp/x/wg7.conf");
    CHECK(interfaces_with_runtime_state() == std::vector<std::string>{"wg7"});
    REQUIRE(remove_runtime_state("wg7"));
    CHECK_FALSE(read_runtime_state("wg7"));
    CHECK(remove_runtime_state("wg7")); // already gone: fine
    CHECK(interfaces_with_runtime_state().empty());
    ::unsetenv("WGX_QUICK_STATE_DIR");
    std::filesystem::remove_all(tmpl);
}
