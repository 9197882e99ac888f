// The engine's memory locking: when it may lock (and when not), and that locking takes effect.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "engine/memory_lock.hpp"

using namespace wgx::engine;

TEST_CASE("may_lock_without_limit reads CAP_IPC_LOCK from CapEff or an unlimited rlimit") {
    std::string root = "\nName:\tx\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
    std::string net_admin_only = "\nCapEff:\t0000000000001000\n";
    std::string ipc_lock_only = "\nCapEff:\t0000000000004000\n";
    CHECK(may_lock_without_limit(root, false));
    CHECK(may_lock_without_limit(ipc_lock_only, false));
    CHECK_FALSE(may_lock_without_limit(net_admin_only, false));
    CHECK(may_lock_without_limit(net_admin_only, true));
    CHECK_FALSE(may_lock_without_limit("\nCapEff:\tzz\n", false));
    CHECK_FALSE(may_lock_without_limit("", false));
}

TEST_CASE("lock_memory locks the process's pages, or says why not in one line") {
    auto warning = lock_memory();
    std::ifstream in("/proc/self/status");
    std::stringstream status;
    status << in.rdbuf();
    auto at = status.str().find("VmLck:");
    REQUIRE(at != std::string::npos);
    long locked_kib = std::stol(status.str().substr(at + 6));
    if (warning) {
        CHECK(warning->find('\n') == std::string::npos);
        CHECK(warning->rfind("Warning: ", 0) == 0);
        MESSAGE("not locked here: " << *warning);
    } else {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        // The sanitizer runtimes intercept mlockall() and make it a no-op.
        MESSAGE("sanitizer build: mlockall is a no-op, " << locked_kib << " KiB locked");
#else
        CHECK(locked_kib > 0);
#endif
    }
}
