#include "uapi/wgx_counters.hpp"

#include <cerrno>
#include <charconv>

namespace wgx::uapi {

std::string encode_wgx_counters(const WgxCounters& counters) {
    return "source_not_allowed=" + std::to_string(counters.source_not_allowed) +
           "\nnested_too_big=" + std::to_string(counters.nested_too_big) + "\nerrno=0\n\n";
}

Result<WgxCounters> decode_wgx_counters(std::string_view reply) {
    WgxCounters out;
    bool ended = false;
    while (!reply.empty() && !ended) {
        auto nl = reply.find('\n');
        std::string_view line = reply.substr(0, nl);
        reply.remove_prefix(nl == std::string_view::npos ? reply.size() : nl + 1);
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            break;
        std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
        long long number = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc{} || end != value.data() + value.size())
            return make_error("Protocol error: `" + std::string(line) + "'", EPROTO);
        if (key == "errno") {
            if (number != 0)
                return make_error("wgx_counters failed", int(number < 0 ? -number : number));
            ended = true;
        } else if (key == "source_not_allowed") {
            out.source_not_allowed = static_cast<std::uint64_t>(number);
        } else if (key == "nested_too_big") {
            out.nested_too_big = static_cast<std::uint64_t>(number);
        }
    }
    if (!ended)
        return make_error("wgx_counters: not supported by this implementation", EOPNOTSUPP);
    return out;
}

} // namespace wgx::uapi
