#include <doctest/doctest.h>

#include <set>

#include "quick/arguments.hpp"

using namespace wgx::quick;

namespace {
Arguments parse(std::vector<std::string> words) {
    std::vector<char*> argv;
    for (auto& w : words)
        argv.push_back(w.data());
    return parse_arguments(int(argv.size()), argv.data());
}
} // namespace

TEST_CASE("arguments: wg-quick's dispatch") {
    CHECK(parse({"wgx-quick"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "--help"}).kind == Arguments::Kind::help);
    CHECK(parse({"wgx-quick", "-h"}).kind == Arguments::Kind::help);
    CHECK(parse({"wgx-quick", "help"}).kind == Arguments::Kind::help);
    CHECK(parse({"wgx-quick", "help", "wg0"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "up"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "up", "wg0", "x"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "Up", "wg0"}).kind == Arguments::Kind::usage_error);
    auto a = parse({"wgx-quick", "save", "wg0"});
    CHECK(a.kind == Arguments::Kind::run);
    CHECK(a.action == Action::save);
    CHECK(a.target == "wg0");
    CHECK(parse({"wgx-quick", "strip", "x"}).action == Action::strip);
    CHECK(parse({"wgx-quick", "down", "x"}).action == Action::down);
}

TEST_CASE("arguments: interface names") {
    CHECK(valid_interface_name("wg0"));
    CHECK(valid_interface_name("a_b=c+d.e-f"));
    CHECK(valid_interface_name("123456789012345"));
    CHECK_FALSE(valid_interface_name("1234567890123456"));
    CHECK_FALSE(valid_interface_name(""));
    CHECK_FALSE(valid_interface_name("wg 0"));
    CHECK_FALSE(valid_interface_name("wg/0"));
    CHECK_FALSE(valid_interface_name("wg:0"));
}

TEST_CASE("arguments: where the configuration is") {
    std::set<std::string> files = {"/etc/wireguard/wg0.conf",
                                   "/tmp/x/home.conf",
                                   "wg0.conf",
                                   "/tmp/bad.txt",
                                   "/tmp/this-name-is-too-long.conf",
                                   "/etc/wireguard/wg0.conf.conf"};
    auto exists = [&](const std::string& p) { return files.count(p) > 0; };
    auto canonical = [](const std::string& p) { return p[0] == '/' ? p : "/cwd/" + p; };

    auto r = locate_config("wg0", exists, canonical);
    REQUIRE(r);
    CHECK(r->path == "/etc/wireguard/wg0.conf");
    CHECK(r->interface == "wg0");

    r = locate_config("/tmp/x/home.conf", exists, canonical);
    REQUIRE(r);
    CHECK(r->interface == "home");

    // A bare "wg0.conf" is an interface name too (dots are allowed), as in wg-quick.
    r = locate_config("wg0.conf", exists, canonical);
    REQUIRE(r);
    CHECK(r->path == "/etc/wireguard/wg0.conf.conf");
    CHECK(r->interface == "wg0.conf");

    r = locate_config(
        "./wg0.conf", [](const std::string&) { return true; }, canonical);
    REQUIRE(r);
    CHECK(r->path == "/cwd/./wg0.conf");
    CHECK(r->interface == "wg0");

    r = locate_config("wg9", exists, canonical);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "`/etc/wireguard/wg9.conf' does not exist");

    r = locate_config("/tmp/bad.txt", exists, canonical);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "The config file must be a valid interface name, followed by .conf");
    CHECK_FALSE(locate_config("/tmp/this-name-is-too-long.conf", exists, canonical));
    CHECK_FALSE(locate_config(
        "/tmp/.conf", [](const std::string&) { return true; }, canonical));
}

TEST_CASE("arguments: world accessible means an 'other' bit on both file and directory") {
    CHECK_FALSE(world_accessible(0600, 0755));
    CHECK_FALSE(world_accessible(0644, 0700));
    CHECK(world_accessible(0644, 0755));
    CHECK_FALSE(world_accessible(0641, 0754)); // x on the file, r on the directory: no overlap
    CHECK(world_accessible(0604, 0704));
}

TEST_CASE("arguments: usage names the program") {
    auto u = usage_text("wgx-quick");
    // Only the first line is wg-quick's (scripts compare it); the rest is our own.
    CHECK(u.rfind("Usage: wgx-quick [ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]\n",
                  0) == 0);
    CHECK(u.find("; wgx-quick handles those itself.\n") != std::string::npos);
    for (const char* verb : {"\n  up ", "\n  down ", "\n  save ", "\n  strip "})
        CHECK(u.find(verb) != std::string::npos);
    CHECK(
        u.ends_with("See wgx-quick(8) for each key and for every difference from wg-quick(8).\n"));
    // None of wg-quick's help paragraph beyond its Usage line.
    for (const char* copied : {"It is to be readable", "which are handled by", "most commonly used",
                               "for more info and examples"})
        CHECK(u.find(copied) == std::string::npos);
}

TEST_CASE("arguments: wgx-quick's own subcommands and options") {
    auto a = parse({"wgx-quick", "addpeer", "wg0", "--name", "phone", "--qr"});
    CHECK(a.kind == Arguments::Kind::run);
    CHECK(a.action == Action::addpeer);
    CHECK(a.target == "wg0");
    CHECK(a.options == std::vector<std::string>{"--name", "phone", "--qr"});
    CHECK(parse({"wgx-quick", "showpeer", "wg0", "phone"}).action == Action::showpeer);
    CHECK(parse({"wgx-quick", "rmpeer", "wg0", "phone"}).action == Action::rmpeer);
    CHECK(parse({"wgx-quick", "reload", "wg0"}).action == Action::reload);
    auto s = parse({"wgx-quick", "save", "wg0", "--force"});
    CHECK(s.kind == Arguments::Kind::run);
    CHECK(s.options == std::vector<std::string>{"--force"});
    CHECK(parse({"wgx-quick", "up", "wg0", "--strict"}).kind == Arguments::Kind::run);
    CHECK(parse({"wgx-quick", "strip", "wg0", "--strict"}).action == Action::strip);
    // Each wg-quick action takes only its own option.
    CHECK(parse({"wgx-quick", "up", "wg0", "--force"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "down", "wg0", "--strict"}).kind == Arguments::Kind::usage_error);
    CHECK(parse({"wgx-quick", "addpeer"}).kind == Arguments::Kind::usage_error);
}
