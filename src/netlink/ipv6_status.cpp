#include "netlink/ipv6_status.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace wgx::netlink {

namespace {
std::optional<std::string> read_first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        return std::nullopt;
    return line;
}
} // namespace

std::vector<Ipv6Status::Address> global_ipv6_addresses(std::string_view if_inet6) {
    std::vector<Ipv6Status::Address> out;
    std::istringstream in{std::string(if_inet6)};
    std::string hex, index, prefix, scope, flags, name;
    while (in >> hex >> index >> prefix >> scope >> flags >> name) {
        if (hex.size() != 32 || scope != "00")
            continue;
        std::uint8_t bytes[16];
        bool ok = true;
        for (int i = 0; i < 16 && ok; ++i) {
            unsigned v = 0;
            ok = std::sscanf(hex.c_str() + 2 * i, "%2x", &v) == 1;
            bytes[i] = std::uint8_t(v);
        }
        if (ok)
            out.push_back({name, IpAddress::v6(bytes)});
    }
    return out;
}

Ipv6Status ipv6_status(const std::string& proc) {
    Ipv6Status s;
    if (!read_first_line(proc + "/sys/net/ipv6/conf/default/disable_ipv6")) {
        s.disabled = "this host has no IPv6 (no " + proc + "/sys/net/ipv6)";
        return s;
    }
    for (const char* which : {"all", "default"}) {
        auto v = read_first_line(proc + "/sys/net/ipv6/conf/" + which + "/disable_ipv6");
        if (v && *v == "1") {
            s.disabled = std::string("IPv6 is disabled on this host (net.ipv6.conf.") + which +
                         ".disable_ipv6 = 1)";
            return s;
        }
    }
    std::ifstream in(proc + "/net/if_inet6");
    std::stringstream text;
    text << in.rdbuf();
    s.global = global_ipv6_addresses(text.str());
    return s;
}

} // namespace wgx::netlink
