#include "uapi/wgx_counters.hpp"

#include <cerrno>
#include <charconv>

namespace wgx::uapi {

std::string encode_wgx_counters(const WgxCounters& counters) {
    std::string out = "source_not_allowed=" + std::to_string(counters.source_not_allowed) +
                      "\nnested_too_big=" + std::to_string(counters.nested_too_big) + "\n";
    for (const auto& peer : counters.peers)
        out += "public_key=" + peer.public_key.to_hex() +
               "\nsource_not_allowed=" + std::to_string(peer.source_not_allowed) + "\n";
    return out + "errno=0\n\n";
}

Result<WgxCounters> decode_wgx_counters(std::string_view reply) {
    WgxCounters out;
    WgxPeerCounters* peer = nullptr; // the section being read; null for the device's keys
    bool ended = false;
    while (!reply.empty() && !ended) {
        auto nl = reply.find('\n');
        std::string_view line = reply.substr(0, nl);
        reply.remove_prefix(nl == std::string_view::npos ? reply.size() : nl + 1);
        auto eq = line.find('=');
        if (eq == std::string_view::npos)
            break;
        std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
        if (key == "public_key") {
            auto public_key = crypto::Key::from_hex(value);
            if (!public_key)
                return make_error("Protocol error: `" + std::string(line) + "'", EPROTO);
            out.peers.push_back({*public_key, 0});
            peer = &out.peers.back();
            continue;
        }
        long long number = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc{} || end != value.data() + value.size())
            return make_error("Protocol error: `" + std::string(line) + "'", EPROTO);
        if (key == "errno") {
            if (number != 0)
                return make_error("wgx_counters failed", int(number < 0 ? -number : number));
            ended = true;
        } else if (key == "source_not_allowed") {
            (peer ? peer->source_not_allowed : out.source_not_allowed) =
                static_cast<std::uint64_t>(number);
        } else if (key == "nested_too_big" && !peer) {
            out.nested_too_big = static_cast<std::uint64_t>(number);
        }
    }
    if (!ended)
        return make_error("wgx_counters: not supported by this implementation", EOPNOTSUPP);
    return out;
}

} // namespace wgx::uapi
