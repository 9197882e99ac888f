// wgx-quick's command table: dispatch and the usage line come from it, and these tests hold the
// man page and the three shells' completions to it, so a subcommand added to the table fails
// here until it is documented and completed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/version.hpp"
#include "quick/arguments.hpp"
#include "quick/command_table.hpp"
#include "support/documentation.hpp"

using namespace wgx;
using namespace wgx::test;

TEST_CASE("quick command table: every entry dispatches to its action") {
    REQUIRE(!quick::command_table().empty());
    for (const auto& c : quick::command_table()) {
        CAPTURE(c.name);
        CHECK(quick::find_command(c.name) == &c);
        std::string prog = "wgx-quick", verb(c.name), target = "wg0";
        std::vector<char*> argv{prog.data(), verb.data(), target.data()};
        auto a = quick::parse_arguments(int(argv.size()), argv.data());
        CHECK(a.kind == quick::Arguments::Kind::run);
        CHECK(a.action == c.action);
    }
    CHECK(quick::command_alternatives() == "up | down | save | strip");
}

TEST_CASE("quick command table: --version alone asks for the version") {
    std::string prog = "wgx-quick", flag = "--version", extra = "wg0";
    std::vector<char*> argv{prog.data(), flag.data()};
    CHECK(quick::parse_arguments(2, argv.data()).kind == quick::Arguments::Kind::version);
    argv.push_back(extra.data());
    CHECK(quick::parse_arguments(3, argv.data()).kind == quick::Arguments::Kind::usage_error);
}

TEST_CASE("quick command table: every subcommand is in man/wgx-quick.8") {
    std::string man = read_text(env_dir("WGX_BINARY_DIR") + "/man/wgx-quick.8");
    REQUIRE(!man.empty());
    for (const auto& c : quick::command_table()) {
        CAPTURE(c.name);
        CHECK(has_item(man, c.name));
    }
    std::string words = roff_words(man);
    for (const char* option : {"--help", "--version"}) {
        CAPTURE(option);
        CHECK(has_word(words, option));
    }
    CHECK(man.find("\"wgx " + std::string(VERSION) + "\"") != std::string::npos);
}

TEST_CASE("quick command table: every subcommand is in each shell's completion") {
    std::string dir = env_dir("WGX_SOURCE_DIR") + "/completions/";
    for (const char* file : {"wgx.bash", "_wgx", "wgx-quick.fish"}) {
        CAPTURE(file);
        std::string text = read_text(dir + file);
        REQUIRE(!text.empty());
        for (const auto& c : quick::command_table()) {
            CAPTURE(c.name);
            CHECK(has_word(text, c.name));
        }
    }
}
