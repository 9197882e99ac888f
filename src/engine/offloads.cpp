#include "engine/offloads.hpp"

#include <charconv>

#include <fmt/format.h>

namespace wgx::engine {

std::string Offloads::describe() const {
    std::string s;
    auto add = [&](bool on, const char* name) {
        if (on)
            s += s.empty() ? name : fmt::format(",{}", name);
    };
    add(tun_vnet, "tun-vnet");
    add(tun_vnet && tun_uso, "tun-uso");
    add(udp_gso, "udp-gso");
    add(udp_gro, "udp-gro");
    add(mmsg, "mmsg");
    add(io_thread, "io-thread");
    return s.empty() ? "none" : s;
}

Result<Offloads> parse_disabled_offloads(std::string_view disabled) {
    Offloads o;
    while (!disabled.empty()) {
        auto comma = disabled.find(',');
        std::string_view name = disabled.substr(0, comma);
        disabled =
            comma == std::string_view::npos ? std::string_view() : disabled.substr(comma + 1);
        if (name.empty())
            continue;
        if (name == "all")
            o = Offloads{false, false, false, false, false, false, o.crypto_workers};
        else if (name == "tun-vnet")
            o.tun_vnet = false;
        else if (name == "tun-uso")
            o.tun_uso = false;
        else if (name == "udp-gso")
            o.udp_gso = false;
        else if (name == "udp-gro")
            o.udp_gro = false;
        else if (name == "mmsg")
            o.mmsg = false;
        else if (name == "io-thread")
            o.io_thread = false;
        else
            return make_error(fmt::format("Invalid WGX_ENGINE_DISABLE_OFFLOADS: unknown offload "
                                          "'{}' (known: tun-vnet, tun-uso, udp-gso, udp-gro, "
                                          "mmsg, io-thread, all)",
                                          name),
                              EINVAL);
    }
    return o;
}

Result<unsigned> parse_crypto_workers(std::string_view value, unsigned most) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > most)
        return make_error(fmt::format("Invalid WGX_ENGINE_CRYPTO_WORKERS: '{}' (a count from 1 "
                                      "to {})",
                                      value, most),
                          EINVAL);
    return n;
}

} // namespace wgx::engine
