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

TEST_CASE("quick command table: every option after the argument is documented and completed") {
    std::string man = roff_words(read_text(env_dir("WGX_BINARY_DIR") + "/man/wgx-quick.8"));
    REQUIRE(!man.empty());
    std::string dir = env_dir("WGX_SOURCE_DIR") + "/completions/";
    int options = 0;
    for (const auto& c : quick::command_table()) {
        for (std::string_view option : {c.flag, c.value_option}) {
            if (option.empty())
                continue;
            ++options;
            std::string word(option);
            if (word.ends_with("="))
                word.pop_back();
            CAPTURE(c.name);
            CAPTURE(word);
            CHECK(man.find(word) != std::string::npos);
            for (const char* file : {"wgx.bash", "_wgx", "wgx-quick.fish"}) {
                CAPTURE(file);
                std::string text = read_text(dir + file);
                // fish names long options without their dashes (-l strict).
                CHECK((text.find(word) != std::string::npos ||
                       text.find("-l " + word.substr(2)) != std::string::npos));
            }
        }
    }
    CHECK(options >= 3);
}

TEST_CASE("quick arguments: up takes --dns-backend=NAME beside --strict, in any order") {
    auto parse = [](std::vector<std::string> words) {
        std::vector<char*> argv;
        for (auto& w : words)
            argv.push_back(w.data());
        return quick::parse_arguments(int(argv.size()), argv.data());
    };
    auto a = parse({"wgx-quick", "up", "wg0", "--dns-backend=file", "--strict"});
    CHECK(a.kind == quick::Arguments::Kind::run);
    CHECK(a.options == std::vector<std::string>{"--dns-backend=file", "--strict"});
    // The value is checked where it is read (one line naming it), not as a usage error.
    CHECK(parse({"wgx-quick", "up", "wg0", "--dns-backend=bogus"}).kind ==
          quick::Arguments::Kind::run);
    CHECK(parse({"wgx-quick", "down", "wg0", "--dns-backend=file"}).kind ==
          quick::Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "up", "wg0", "--dns-backend"}).kind ==
          quick::Arguments::Kind::usage_error);
}
