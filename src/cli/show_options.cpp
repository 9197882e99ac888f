#include "cli/show_options.hpp"

#include <charconv>

namespace wgx::cli {

std::optional<std::chrono::seconds> parse_stale_after(const std::string& text) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 1 ||
        value > 10LL * 365 * 24 * 3600)
        return std::nullopt;
    return std::chrono::seconds(value);
}

Result<ShowOptions> take_show_options(std::vector<std::string>& args) {
    ShowOptions options;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (i == 0) {
            rest.push_back(a);
            continue;
        }
        // "--flag VALUE" or "--flag=VALUE"; a missing VALUE reads as "".
        auto value_of = [&](std::string_view flag) -> std::optional<std::string> {
            if (a == flag)
                return i + 1 < args.size() ? args[++i] : std::string();
            if (a.size() > flag.size() && a.compare(0, flag.size(), flag) == 0 &&
                a[flag.size()] == '=')
                return a.substr(flag.size() + 1);
            return std::nullopt;
        };
        if (a == "--json") {
            options.format = ShowFormat::json;
        } else if (a == "--names") {
            options.names = true;
        } else if (auto format = value_of("--format")) {
            if (*format == "json")
                options.format = ShowFormat::json;
            else if (*format == "prometheus")
                options.format = ShowFormat::prometheus;
            else if (*format == "wg")
                options.format = ShowFormat::wg;
            else
                return make_error("Invalid format: `" + *format + "'", EINVAL);
        } else if (auto stale = value_of("--stale-after")) {
            auto seconds = parse_stale_after(*stale);
            if (!seconds)
                return make_error("Invalid stale-after: `" + *stale + "'", EINVAL);
            options.stale_after = *seconds;
        } else {
            rest.push_back(a);
        }
    }
    args = std::move(rest);
    return options;
}

} // namespace wgx::cli
