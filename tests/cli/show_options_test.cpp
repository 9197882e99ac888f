#include <doctest/doctest.h>

#include "cli/show_options.hpp"

using namespace wgx::cli;

TEST_CASE("wgx's show flags are taken out, wherever they stand, and the rest is wg's") {
    std::vector<std::string> args{"show", "--json", "wg0", "--stale-after", "60", "--names"};
    auto o = take_show_options(args);
    REQUIRE(o);
    CHECK(o->format == ShowFormat::json);
    CHECK(o->names);
    CHECK(o->stale_after == std::chrono::seconds(60));
    CHECK(args == std::vector<std::string>{"show", "wg0"});

    std::vector<std::string> prom{"show", "all", "--format=prometheus", "--stale-after=5"};
    auto p = take_show_options(prom);
    REQUIRE(p);
    CHECK(p->format == ShowFormat::prometheus);
    CHECK(p->stale_after == std::chrono::seconds(5));
    CHECK(prom == std::vector<std::string>{"show", "all"});
}

TEST_CASE("without flags nothing changes") {
    std::vector<std::string> args{"show", "wg0", "dump"};
    auto o = take_show_options(args);
    REQUIRE(o);
    CHECK(o->format == ShowFormat::wg);
    CHECK_FALSE(o->names);
    CHECK(o->stale_after == REJECT_AFTER_TIME);
    CHECK(args == std::vector<std::string>{"show", "wg0", "dump"});
}

TEST_CASE("bad values are refused by name") {
    std::vector<std::string> a{"show", "--format=xml"};
    CHECK(take_show_options(a).error().message == "Invalid format: `xml'");
    std::vector<std::string> b{"show", "--stale-after", "0"};
    CHECK(take_show_options(b).error().message == "Invalid stale-after: `0'");
    std::vector<std::string> c{"show", "--stale-after"};
    CHECK(take_show_options(c).error().message == "Invalid stale-after: `'");
    CHECK_FALSE(parse_stale_after("12s"));
    CHECK_FALSE(parse_stale_after("-1"));
    CHECK(parse_stale_after("180") == std::chrono::seconds(180));
}
