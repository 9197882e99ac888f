#include "cli/prometheus_format.hpp"

#include <array>

namespace wgx::cli {

namespace {

constexpr std::array<PeerStatus, 3> STATUSES{PeerStatus::active, PeerStatus::stale,
                                             PeerStatus::never};

struct Family {
    std::string_view name, type, help;
};

void header(std::string& out, const Family& f) {
    out += "# HELP " + std::string(f.name) + " " + std::string(f.help) + "\n# TYPE " +
           std::string(f.name) + " " + std::string(f.type) + "\n";
}

std::string interface_labels(const model::Device& d) {
    return "interface=\"" + prometheus_label_value(d.name) + "\"";
}

std::string peer_labels(const NamedDevice& nd, const model::Peer& p) {
    auto name = nd.name_of(p);
    return interface_labels(nd.device) + ",public_key=\"" + p.public_key.to_base64() +
           "\",name=\"" + prometheus_label_value(name.value_or("")) + "\"";
}

/// One sample line per peer of every device.
template <typename Value>
void per_peer(std::string& out, const std::vector<NamedDevice>& devices, const Family& f,
              Value value) {
    header(out, f);
    for (const auto& nd : devices)
        for (const auto& p : nd.device.peers)
            out += std::string(f.name) + "{" + peer_labels(nd, p) + "} " + value(p) + "\n";
}

} // namespace

std::string prometheus_label_value(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string format_prometheus(const std::vector<NamedDevice>& devices, const ReportStyle& style) {
    std::string out;
    header(out, {"wgx_interface_peers", "gauge", "Peers of the interface, by status."});
    for (const auto& nd : devices) {
        std::array<unsigned, 3> count{};
        for (const auto& p : nd.device.peers)
            ++count[static_cast<std::size_t>(peer_status(p, style.now, style.stale_after))];
        for (PeerStatus s : STATUSES)
            out += "wgx_interface_peers{" + interface_labels(nd.device) + ",status=\"" +
                   std::string(status_word(s)) + "\"} " +
                   std::to_string(count[static_cast<std::size_t>(s)]) + "\n";
    }
    header(out, {"wgx_interface_listen_port", "gauge",
                 "UDP port the interface listens on (0 when it has none)."});
    for (const auto& nd : devices)
        out += "wgx_interface_listen_port{" + interface_labels(nd.device) + "} " +
               std::to_string(nd.device.listen_port.value_or(0)) + "\n";
    per_peer(out, devices,
             {"wgx_peer_receive_bytes_total", "counter", "Bytes received from the peer."},
             [](const model::Peer& p) { return std::to_string(p.rx_bytes.value_or(0)); });
    per_peer(out, devices, {"wgx_peer_transmit_bytes_total", "counter", "Bytes sent to the peer."},
             [](const model::Peer& p) { return std::to_string(p.tx_bytes.value_or(0)); });
    per_peer(out, devices,
             {"wgx_peer_latest_handshake_seconds", "gauge",
              "UNIX time of the latest handshake with the peer (0 when there was none)."},
             [](const model::Peer& p) { return std::to_string(handshake_seconds(p)); });
    header(out, {"wgx_peer_status", "gauge",
                 "1 for the peer's status (active: handshake within the stale threshold), 0 for "
                 "the others."});
    for (const auto& nd : devices)
        for (const auto& p : nd.device.peers) {
            PeerStatus actual = peer_status(p, style.now, style.stale_after);
            for (PeerStatus s : STATUSES)
                out += "wgx_peer_status{" + peer_labels(nd, p) + ",status=\"" +
                       std::string(status_word(s)) + "\"} " + (s == actual ? "1" : "0") + "\n";
        }
    header(out, {"wgx_stale_after_seconds", "gauge",
                 "Handshake age after which a peer counts as stale."});
    out += "wgx_stale_after_seconds " + std::to_string(style.stale_after.count()) + "\n";
    return out;
}

} // namespace wgx::cli
