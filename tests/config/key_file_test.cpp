#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "config/key_file.hpp"
#include "support/skip.hpp"

using namespace wgx;

namespace {
const char* KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

/// A file in a fresh temporary directory, removed with it.
struct TempFile {
    std::filesystem::path dir, path;
    TempFile(const std::string& text, mode_t mode) {
        char tmpl[] = "/tmp/wgx-key-file-test.XXXXXX";
        dir = ::mkdtemp(tmpl);
        path = dir / "key";
        std::ofstream(path) << text;
        ::chmod(path.c_str(), mode);
    }
    ~TempFile() { std::filesystem::remove_all(dir); }
};
} // namespace

TEST_CASE("a private key file is read with surrounding whitespace") {
    TempFile f(std::string(" ") + KEY + "\n\n", 0600);
    auto k = config::read_protected_key_file(f.path);
    REQUIRE(k);
    CHECK(k->to_base64() == KEY);
    TempFile stricter(KEY, 0400);
    CHECK(config::read_protected_key_file(stricter.path));
}

TEST_CASE("a key file others may read is refused with its mode") {
    for (mode_t mode : {0640, 0604, 0660, 0602}) {
        TempFile f(KEY, mode);
        auto k = config::read_protected_key_file(f.path);
        REQUIRE_FALSE(k);
        CHECK(k.error().message.find("must be 0600 or stricter") != std::string::npos);
        CHECK(k.error().message.find(f.path.string()) != std::string::npos);
    }
}

TEST_CASE("a key file owned by someone else is refused") {
    if (::geteuid() != 0) {
        test::skip("needs root to give a file to another user");
        return;
    }
    TempFile f(KEY, 0600);
    REQUIRE(::chown(f.path.c_str(), 65534, 65534) == 0);
    auto k = config::read_protected_key_file(f.path);
    REQUIRE_FALSE(k);
    CHECK(k.error().message.find("owned by uid 65534") != std::string::npos);
}

TEST_CASE("a key file without exactly one key, or missing, is refused") {
    for (const char* text : {"", "nope", "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk= x"}) {
        TempFile f(text, 0600);
        auto k = config::read_protected_key_file(f.path);
        REQUIRE_FALSE(k);
        CHECK(k.error().message.find("does not hold one base64 key") != std::string::npos);
    }
    auto missing = config::read_protected_key_file("/nonexistent/wgx/key");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ENOENT);
}
