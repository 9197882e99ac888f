#pragma once
// The engine's log, in wireguard-go's format and levels, so that scripts reading one read both:
//   "DEBUG: (wg0) 2026/11/23 09:41:42 Device started"   (LOG_LEVEL=verbose|debug)
//   "ERROR: (wg0) 2026/11/23 09:41:42 UAPI: ..."         (LOG_LEVEL=error, the default)
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "base/now.hpp"

namespace wgx::engine {

enum class LogLevel { silent, error, verbose };

/// LOG_LEVEL's value as wireguard-go reads it: "verbose"/"debug", "error", "silent"; anything
/// else (or unset) is "error".
LogLevel parse_log_level(const char* value);

/// Formats one log line (with its trailing newline).
std::string format_log_line(std::string_view tag, std::string_view ifname, WallTime when,
                            std::string_view message);

/// Writes lines to a stream (stdout as wireguard-go does) when the level allows.
class Logger {
  public:
    Logger(LogLevel level, std::string ifname, std::FILE* out = stdout)
        : level_(level), ifname_(std::move(ifname)), out_(out) {}

    void set_ifname(std::string ifname) { ifname_ = std::move(ifname); }
    LogLevel level() const { return level_; }
    bool verbose_enabled() const { return level_ >= LogLevel::verbose; }

    template <typename... Args>
    void verbose(fmt::format_string<Args...> f, Args&&... args) {
        if (level_ >= LogLevel::verbose)
            write("DEBUG", fmt::format(f, std::forward<Args>(args)...));
    }
    template <typename... Args>
    void error(fmt::format_string<Args...> f, Args&&... args) {
        if (level_ >= LogLevel::error)
            write("ERROR", fmt::format(f, std::forward<Args>(args)...));
    }

  private:
    void write(std::string_view tag, std::string_view message);

    LogLevel level_;
    std::string ifname_;
    std::FILE* out_;
};

} // namespace wgx::engine
