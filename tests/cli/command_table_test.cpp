#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/command_table.hpp"

using namespace wgx::cli;

namespace {
std::string usage_text(bool all) {
    char* buf = nullptr;
    std::size_t len = 0;
    std::FILE* f = ::open_memstream(&buf, &len);
    print_usage(f, "wg", all);
    std::fclose(f);
    std::string text(buf, len);
    std::free(buf);
    return text;
}
} // namespace

TEST_CASE("help lists wg's subcommands exactly as wg does; --all adds wgx's own") {
    std::string wg = usage_text(false);
    CHECK(wg.rfind("Usage: wg <cmd> [<args>]\n\nAvailable subcommands:\n  show: ", 0) == 0);
    CHECK(wg.find("metrics") == std::string::npos);
    CHECK(wg.substr(wg.size() - 65) ==
          "You may pass `--help' to any of these subcommands to view usage.\n");
    std::string all = usage_text(true);
    CHECK(all.rfind(wg, 0) == 0);
    CHECK(all.find("\nwgx's own subcommands:\n  metrics: ") != std::string::npos);
    CHECK(all.find("\n  top: ") != std::string::npos);
    CHECK(find_command("top") != nullptr);
    CHECK_FALSE(find_command("top")->from_wg);
    CHECK(find_command("show")->from_wg);
}
