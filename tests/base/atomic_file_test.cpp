#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "base/atomic_file.hpp"

TEST_CASE("atomic write replaces content with mode 0600 and leaves no temp file") {
    char tmpl[] = "/tmp/wgx-atomic-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    std::string dir = tmpl, path = dir + "/wg0.conf";
    { std::ofstream(path) << "old\n"; }
    ::chmod(path.c_str(), 0644);
    REQUIRE(wgx::write_file_atomically(path, "[Interface]\nListenPort = 1\n").ok());
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK(ss.str() == "[Interface]\nListenPort = 1\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    int entries = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir))
        ++entries;
    CHECK(entries == 1);
    // A directory that does not exist: an error naming the path, the old file untouched.
    auto bad = wgx::write_file_atomically(dir + "/missing/x.conf", "x");
    CHECK_FALSE(bad.ok());
    CHECK(bad.error().message.find("missing/x.conf") != std::string::npos);
    std::filesystem::remove_all(dir);
}
