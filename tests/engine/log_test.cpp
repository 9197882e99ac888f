#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "engine/log.hpp"

using namespace wgx::engine;

TEST_CASE("LOG_LEVEL values as wireguard-go reads them") {
    CHECK(parse_log_level(nullptr) == LogLevel::error);
    CHECK(parse_log_level("") == LogLevel::error);
    CHECK(parse_log_level("verbose") == LogLevel::verbose);
    CHECK(parse_log_level("debug") == LogLevel::verbose);
    CHECK(parse_log_level("error") == LogLevel::error);
    CHECK(parse_log_level("silent") == LogLevel::silent);
    CHECK(parse_log_level("info") == LogLevel::error);
}

TEST_CASE("log lines have wireguard-go's shape") {
    std::string line = format_log_line("DEBUG", "wg0", wgx::WallClock::now(), "Device started");
    // "DEBUG: (wg0) YYYY/MM/DD HH:MM:SS Device started\n"
    REQUIRE(line.size() == std::string("DEBUG: (wg0) 2026/11/23 09:41:42 Device started\n").size());
    CHECK(line.rfind("DEBUG: (wg0) ", 0) == 0);
    CHECK(line[17] == '/');
    CHECK(line[20] == '/');
    CHECK(line[26] == ':');
    CHECK(line.substr(33) == "Device started\n");
}

TEST_CASE("the logger writes only what the level allows") {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    Logger errors_only(LogLevel::error, "wg0", f);
    errors_only.verbose("hidden {}", 1);
    errors_only.error("shown {}", 2);
    Logger silent(LogLevel::silent, "wg0", f);
    silent.error("hidden too");
    std::rewind(f);
    char buf[256] = {};
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    std::string text(buf, n);
    CHECK(text.rfind("ERROR: (wg0) ", 0) == 0);
    CHECK(text.find("shown 2\n") != std::string::npos);
    CHECK(text.find("hidden") == std::string::npos);
}
