#include "cli/doctor_facts.hpp"

#include <algorithm>
#include <fstream>
#include <net/if.h>
#include <poll.h>
#include <sys/stat.h>

#include "cli/cryptokey_match.hpp"
#include "cli/peer_names.hpp"
#include "ipc/ipc.hpp"
#include "ipc/wgx_counters.hpp"
#include "netlink/address.hpp"
#include "netlink/link.hpp"
#include "netlink/route_lookup.hpp"
#include "netlink/sysctl.hpp"

namespace wgx::cli {

namespace {

std::uint64_t link_statistic(const std::string& interface, const char* name) {
    std::ifstream in("/sys/class/net/" + interface + "/statistics/" + name);
    std::uint64_t v = 0;
    in >> v;
    return v;
}

/// Whether a UDP socket of this network namespace is bound to `port` (/proc/net/udp{,6}).
bool udp_port_bound(std::uint16_t port) {
    char want[8];
    std::snprintf(want, sizeof want, ":%04X", port);
    for (const char* table : {"/proc/net/udp", "/proc/net/udp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line); // header
        while (std::getline(in, line)) {
            // "  sl  local_address rem_address ...": the local address is the second field.
            auto start = line.find(':');
            auto local = line.find_first_not_of(' ', start + 1);
            auto end = line.find(' ', local);
            if (local == std::string::npos || end == std::string::npos)
                continue;
            std::string address = line.substr(local, end - local);
            if (address.size() >= 5 && address.compare(address.size() - 5, 5, want) == 0)
                return true;
        }
    }
    return false;
}

/// wgx-engine's per-peer counts of packets dropped for their inner source, by base64 key;
/// nothing from implementations without wgx's counters request.
std::optional<std::map<std::string, std::uint64_t>> source_drops(const std::string& interface) {
    auto counters = ipc::get_wgx_counters(interface);
    if (!counters)
        return std::nullopt;
    std::map<std::string, std::uint64_t> drops;
    for (const auto& peer : counters->peers)
        drops[peer.public_key.to_base64()] = peer.source_not_allowed;
    return drops;
}

std::string device_of(netlink::Socket& sock, const std::optional<netlink::RouteLookup>& route) {
    if (!route || !route->oif)
        return "";
    auto link = netlink::find_link(sock, route->oif);
    return link && *link ? (*link)->name : "";
}

} // namespace

InterfaceFacts gather_interface(netlink::Socket& sock, const std::string& interface,
                                std::chrono::milliseconds interval) {
    InterfaceFacts f;
    f.name = interface;
    auto before = ipc::get_device(interface);
    auto link = netlink::find_link(sock, interface);
    if (!before || !link || !*link)
        return f;
    f.exists = true;
    f.up = ((*link)->flags & IFF_UP) != 0;
    f.mtu = (*link)->mtu;
    int index = (*link)->index;
    if (auto addresses = netlink::list_addresses(sock, index, AF_UNSPEC))
        f.addresses = std::move(*addresses);
    struct stat st {};
    f.kernel = ::stat(("/var/run/wireguard/" + interface + ".sock").c_str(), &st) != 0;
    f.link_rx_before = link_statistic(interface, "rx_packets");
    f.rx_frame_errors_before = link_statistic(interface, "rx_frame_errors");
    f.source_drops_before = source_drops(interface);
    f.before = std::move(*before);
    ::poll(nullptr, 0, static_cast<int>(interval.count()));
    auto after = ipc::get_device(interface);
    if (!after) {
        f.exists = false;
        return f;
    }
    f.seconds = double(interval.count()) / 1000;
    f.link_rx_after = link_statistic(interface, "rx_packets");
    f.rx_frame_errors_after = link_statistic(interface, "rx_frame_errors");
    f.source_drops_after = source_drops(interface);
    f.after = NamedDevice{std::move(*after), load_peer_names(interface)};
    const model::Device& d = f.after.device;
    // The kernel's sockets are not listed in /proc/net/udp: only userspace ones are checked.
    f.port_bound = f.kernel || !d.listen_port.value_or(0) || udp_port_bound(*d.listen_port);
    for (const auto& p : d.peers) {
        if (p.endpoint && p.endpoint->valid()) {
            auto route = netlink::lookup_route(
                sock, {p.endpoint->address(), std::nullopt, d.fwmark.value_or(0)});
            EndpointRoute er;
            if (route && *route) {
                er.device = device_of(sock, *route);
                er.into_self = (*route)->oif == index;
                if (auto out = netlink::find_link(sock, (*route)->oif); out && *out)
                    er.mtu = (*out)->mtu;
            }
            f.endpoint_routes.emplace_back(p.public_key.to_base64(), er);
        }
        for (const auto& a : p.allowed_ips) {
            auto route = netlink::lookup_route(sock, {probe_address(a.prefix), std::nullopt, 0});
            std::string dev = route ? device_of(sock, *route) : "";
            if (dev != interface)
                f.allowed_routes.push_back({peer_label(f.after, p), a.prefix, dev});
        }
    }
    return f;
}

HostFacts gather_host(netlink::Socket& sock, const std::vector<std::string>& wireguard) {
    HostFacts h;
    auto flag = [](const char* name) {
        auto v = netlink::read_sysctl(name);
        return v && *v != "0";
    };
    h.ipv4_forwarding = flag("net.ipv4.ip_forward");
    h.ipv6_forwarding = flag("net.ipv6.conf.all.forwarding");
    auto disabled = netlink::read_sysctl("net.ipv6.conf.all.disable_ipv6");
    h.ipv6_disabled = !disabled || *disabled != "0";
    if (!h.ipv6_disabled) {
        auto route =
            netlink::lookup_route(sock, {*IpAddress::parse("2001:db8::1"), std::nullopt, 0});
        std::string dev = route ? device_of(sock, *route) : "";
        if (!dev.empty() && std::find(wireguard.begin(), wireguard.end(), dev) == wireguard.end())
            h.ipv6_route_outside = dev;
    }
    return h;
}

} // namespace wgx::cli
