#include "engine/log.hpp"

#include <cstring>
#include <ctime>

namespace wgx::engine {

LogLevel parse_log_level(const char* value) {
    if (value == nullptr)
        return LogLevel::error;
    if (std::strcmp(value, "verbose") == 0 || std::strcmp(value, "debug") == 0)
        return LogLevel::verbose;
    if (std::strcmp(value, "silent") == 0)
        return LogLevel::silent;
    return LogLevel::error;
}

std::string format_log_line(std::string_view tag, std::string_view ifname, WallTime when,
                            std::string_view message) {
    // Go's log.Ldate|log.Ltime: local time, "2006/01/02 15:04:05".
    std::time_t t = WallClock::to_time_t(when);
    std::tm tm{};
    localtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
    return fmt::format("{}: ({}) {} {}\n", tag, ifname, stamp, message);
}

void Logger::write(std::string_view tag, std::string_view message) {
    std::string line = format_log_line(tag, ifname_, WallClock::now(), message);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

} // namespace wgx::engine
