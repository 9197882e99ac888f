#include "engine/memory_lock.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <sys/resource.h>

#include <fmt/format.h>

namespace wgx::engine {

namespace {
constexpr int CAP_IPC_LOCK_BIT = 14; // linux/capability.h
#ifndef MCL_ONFAULT
constexpr int MCL_ONFAULT = 4;
#endif
} // namespace

bool may_lock_without_limit(std::string_view status, bool memlock_unlimited) {
    if (memlock_unlimited)
        return true;
    constexpr std::string_view key = "\nCapEff:";
    auto at = status.find(key);
    if (at == std::string_view::npos)
        return false;
    std::string_view rest = status.substr(at + key.size());
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t'))
        rest.remove_prefix(1);
    std::uint64_t caps = 0;
    std::size_t digits = 0;
    for (char c : rest) {
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            break;
        caps = caps << 4 | std::uint64_t(v);
        ++digits;
    }
    return digits > 0 && (caps >> CAP_IPC_LOCK_BIT & 1);
}

std::optional<std::string> lock_memory() {
    std::ifstream in("/proc/self/status");
    std::stringstream status;
    status << '\n' << in.rdbuf();
    rlimit limit{};
    bool unlimited = ::getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur == RLIM_INFINITY;
    if (!may_lock_without_limit(status.str(), unlimited))
        return "Warning: not locking memory (no CAP_IPC_LOCK and RLIMIT_MEMLOCK is limited): "
               "keys may be swapped to disk";
    if (::mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0)
        return fmt::format("Warning: unable to lock memory: {}: keys may be swapped to disk",
                           std::strerror(errno));
    return std::nullopt;
}

} // namespace wgx::engine
