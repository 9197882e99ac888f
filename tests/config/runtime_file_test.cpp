#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "config/runtime_file.hpp"

using namespace wgx::config;

TEST_CASE("the runtime file's text reads back to the state written") {
    RuntimeState state{"/etc/wireguard/wg0.conf"};
    auto text = format_runtime_state(state);
    CHECK(text.find("ConfigPath = /etc/wireguard/wg0.conf\n") != std::string::npos);
    auto back = parse_runtime_state(text, "wg0.runtime");
    REQUIRE(back);
    CHECK(back->config_path == "/etc/wireguard/wg0.conf");
}

TEST_CASE("unknown keys are skipped so later writers can add them - garbage is an error") {
    auto state = parse_runtime_state("# c\n\nEndpointHost = x\n  ConfigPath=/a b.conf \n", "f");
    REQUIRE(state);
    CHECK(state->config_path == "/a b.conf");
    auto bad = parse_runtime_state("ConfigPath = /x\nnonsense\n", "f.runtime");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "f.runtime:2: Line unrecognized: `nonsense'");
}

TEST_CASE("write, read and remove under WGX_RUNTIME_DIR") {
    char tmpl[] = "/tmp/wgx-runtime-test.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    std::string dir = std::string(tmpl) + "/run";
    ::setenv("WGX_RUNTIME_DIR", dir.c_str(), 1);
    CHECK(runtime_file_path("wg7") == dir + "/wg7.runtime");
    CHECK_FALSE(read_runtime_state("wg7"));
    REQUIRE(write_runtime_state("wg7", {"/tmp/x/wg7.conf"}));
    struct stat st {};
    REQUIRE(::stat(runtime_file_path("wg7").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto state = read_runtime_state("wg7");
    REQUIRE(state);
    CHECK(state->config_path == "/tmp/x/wg7.conf");
    REQUIRE(remove_runtime_state("wg7"));
    CHECK_FALSE(read_runtime_state("wg7"));
    CHECK(remove_runtime_state("wg7")); // already gone: fine
    ::unsetenv("WGX_RUNTIME_DIR");
    std::filesystem::remove_all(tmpl);
}
