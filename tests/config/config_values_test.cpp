#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "config/config_values.hpp"

using namespace wgx;

namespace {
std::string temp_file(const std::string& content) {
    char tmpl[] = "/tmp/wgx-codec-key-XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == ssize_t(content.size()));
    ::close(fd);
    return tmpl;
}
} // namespace

TEST_CASE("key files: empty means remove, trailing whitespace only") {
    const std::string key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    struct Case {
        std::string content;
        std::string error; // empty = ok
    };
    const Case cases[] = {
        {key + "\n", ""},
        {key + " \t\n\n", ""},
        {"", ""},
        {key.substr(0, 20), "Invalid length key in key file"},
        {key + "x", "Found trailing character in key file: `x'"},
        {" " + key, "Found trailing character in key file: `='"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.content);
        auto path = temp_file(c.content);
        auto r = config::read_key_file(path);
        ::unlink(path.c_str());
        if (c.error.empty()) {
            REQUIRE(r);
            CHECK(r->is_zero() == c.content.empty());
        } else {
            REQUIRE_FALSE(r);
            CHECK(r.error().message == c.error);
        }
    }
    auto missing = config::read_key_file("/nonexistent/key");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "fopen: No such file or directory");
    CHECK(config::read_key_file("/dev/null")->is_zero());
}

TEST_CASE("allowed IPs keep order, host bits and warn") {
    std::vector<model::AllowedIp> out;
    std::vector<std::string> warnings;
    REQUIRE(config::parse_allowed_ips("192.0.2.1/24,fd00::/8,198.51.100.9", out, &warnings));
    REQUIRE(out.size() == 3);
    CHECK(out[0].prefix.to_string() == "192.0.2.1/24");
    CHECK(out[2].prefix.to_string() == "198.51.100.9/32");
    CHECK(warnings ==
          std::vector<std::string>{"Warning: AllowedIP has nonzero host part: 192.0.2.1/24"});
    // All or nothing.
    CHECK_FALSE(config::parse_allowed_ips("10.0.0.0/8,bad", out, nullptr));
    CHECK(out.size() == 3);
}
