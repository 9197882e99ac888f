// The command table is the one list of wgx's subcommands: dispatch and usage come from it, and
// these tests hold the man page and the three shells' completions to it, so a subcommand or
// keyword added to the table fails here until it is documented and completed.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/version.hpp"
#include "cli/command_table.hpp"
#include "support/documentation.hpp"

using namespace wgx;
using namespace wgx::test;

TEST_CASE("command table: names are unique and found") {
    auto table = cli::command_table();
    REQUIRE(!table.empty());
    for (const auto& c : table) {
        CAPTURE(c.name);
        CHECK(cli::find_command(c.name) == &c);
        CHECK(bool(c.run));
        CHECK(!c.description.empty());
    }
    CHECK(cli::find_command("Show") == nullptr);
    CHECK(cli::find_command("") == nullptr);
}

TEST_CASE("command table: the synopsis keywords are wg's") {
    auto show = synopsis_keywords(cli::find_command("show")->synopsis);
    CHECK(show.front() == "all");
    CHECK(show.back() == "dump");
    auto set = synopsis_keywords(cli::find_command("set")->synopsis);
    CHECK(set == std::vector<std::string>{"listen-port", "fwmark", "private-key", "peer", "remove",
                                          "preshared-key", "endpoint", "persistent-keepalive",
                                          "allowed-ips"});
    CHECK(synopsis_keywords(cli::find_command("genkey")->synopsis).empty());
}

TEST_CASE("command table: every subcommand and keyword is in man/wgx.8") {
    std::string man = read_text(env_dir("WGX_BINARY_DIR") + "/man/wgx.8");
    REQUIRE(!man.empty());
    std::string words = roff_words(man);
    for (const auto& c : cli::command_table()) {
        CAPTURE(c.name);
        CHECK(has_item(man, c.name));
        for (const auto& k : synopsis_keywords(c.synopsis)) {
            CAPTURE(k);
            CHECK(has_word(words, k));
        }
    }
    for (const char* option : {"--help", "--version"}) {
        CAPTURE(option);
        CHECK(has_word(words, option));
    }
    // The version in the page's title is the project's.
    CHECK(man.find("\"wgx " + std::string(VERSION) + "\"") != std::string::npos);
}

TEST_CASE("command table: every subcommand and keyword is in each shell's completion") {
    std::string dir = env_dir("WGX_SOURCE_DIR") + "/completions/";
    for (const char* file : {"wgx.bash", "_wgx", "wgx.fish"}) {
        CAPTURE(file);
        std::string text = read_text(dir + file);
        REQUIRE(!text.empty());
        for (const auto& c : cli::command_table()) {
            CAPTURE(c.name);
            CHECK(has_word(text, c.name));
            for (const auto& k : synopsis_keywords(c.synopsis)) {
                CAPTURE(k);
                CHECK(has_word(text, k));
            }
        }
    }
}

TEST_CASE("command table: the version line carries the project version") {
    std::string line = cli::version_line();
    CHECK(line.rfind("wgx v" + std::string(VERSION) + " ", 0) == 0);
    CHECK(line.ends_with("\n"));
}

namespace {
std::string usage_text(bool all) {
    char* buf = nullptr;
    std::size_t len = 0;
    std::FILE* f = ::open_memstream(&buf, &len);
    cli::print_usage(f, "wg", all);
    std::fclose(f);
    std::string text(buf, len);
    std::free(buf);
    return text;
}
} // namespace

TEST_CASE("help lists wg's subcommands exactly as wg does, and --all adds wgx's own") {
    std::string wg = usage_text(false);
    CHECK(wg.rfind("Usage: wg <cmd> [<args>]\n\nAvailable subcommands:\n  show: ", 0) == 0);
    CHECK(wg.find("metrics") == std::string::npos);
    CHECK(wg.substr(wg.size() - 65) ==
          "You may pass `--help' to any of these subcommands to view usage.\n");
    std::string all = usage_text(true);
    CHECK(all.rfind(wg, 0) == 0);
    CHECK(all.find("\nwgx's own subcommands:\n  metrics: ") != std::string::npos);
    CHECK(all.find("\n  top: ") != std::string::npos);
    CHECK(cli::find_command("top") != nullptr);
    CHECK_FALSE(cli::find_command("top")->from_wg);
    CHECK(cli::find_command("show")->from_wg);
}
