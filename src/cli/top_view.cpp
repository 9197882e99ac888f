#include "cli/top_view.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/show_format.hpp"

namespace wgx::cli {

namespace {

std::string scaled(double value, const char* suffix) {
    static constexpr const char* UNITS[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char buf[48];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "%.0f%s%s", value, UNITS[0], suffix);
    else
        std::snprintf(buf, sizeof buf, "%.2f%s%s", value, UNITS[unit], suffix);
    return buf;
}

const model::Peer* find_peer(const std::vector<NamedDevice>& devices, const std::string& ifname,
                             const model::Key& key) {
    for (const auto& nd : devices)
        if (nd.device.name == ifname)
            return nd.device.find_peer(key);
    return nullptr;
}

double rate(std::uint64_t now, std::uint64_t then, double seconds) {
    return now >= then && seconds > 0 ? double(now - then) / seconds : 0;
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

std::string line(const std::string& a, const std::string& b, const std::string& c,
                 const std::string& d, const std::string& e, const std::string& f,
                 const std::string& g, const std::string& h, const std::string& i) {
    return pad(a, 16) + " " + pad(b, 16) + " " + pad(c, 23) + " " + pad(d, 6) + " " + pad(e, 9) +
           " " + pad(f, 12) + " " + pad(g, 12) + " " + pad(h, 10) + " " + i;
}

} // namespace

std::string format_rate(double bytes_per_second) {
    return scaled(bytes_per_second, "/s");
}

std::string format_total(std::uint64_t bytes) {
    return scaled(double(bytes), "");
}

std::string format_age(long long s) {
    char buf[32];
    if (s < 0)
        return "-";
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%llds", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    else if (s < 86400)
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    else
        std::snprintf(buf, sizeof buf, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
    return buf;
}

std::vector<TopRow> top_rows(const std::vector<NamedDevice>& before,
                             const std::vector<NamedDevice>& after, double seconds,
                             const ReportStyle& style) {
    std::vector<TopRow> rows;
    for (const auto& nd : after)
        for (const auto& p : nd.device.peers) {
            TopRow r;
            r.interface = nd.device.name;
            r.peer = nd.name_of(p).value_or(p.public_key.to_base64().substr(0, 10) + "...");
            r.endpoint = p.endpoint && p.endpoint->valid() ? format_endpoint(*p.endpoint) : "-";
            r.status = peer_status(p, style.now, style.stale_after);
            long long hs = handshake_seconds(p);
            r.handshake_age = hs ? std::max(0LL, static_cast<long long>(style.now) - hs) : -1;
            r.rx_total = p.rx_bytes.value_or(0);
            r.tx_total = p.tx_bytes.value_or(0);
            if (const model::Peer* old = find_peer(before, nd.device.name, p.public_key)) {
                r.rx_rate = rate(r.rx_total, old->rx_bytes.value_or(0), seconds);
                r.tx_rate = rate(r.tx_total, old->tx_bytes.value_or(0), seconds);
            }
            rows.push_back(std::move(r));
        }
    std::stable_sort(rows.begin(), rows.end(), [](const TopRow& a, const TopRow& b) {
        if (a.rx_rate + a.tx_rate != b.rx_rate + b.tx_rate)
            return a.rx_rate + a.tx_rate > b.rx_rate + b.tx_rate;
        return a.rx_total + a.tx_total > b.rx_total + b.tx_total;
    });
    return rows;
}

std::string format_top_table(const std::vector<TopRow>& rows, std::size_t first, std::size_t count,
                             std::size_t width) {
    auto cut = [width](std::string s) {
        if (s.size() > width)
            s.resize(width);
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        return s + "\n";
    };
    std::string out = cut(
        line("INTERFACE", "PEER", "ENDPOINT", "STATUS", "HANDSHAKE", "RX/s", "TX/s", "RX", "TX"));
    for (std::size_t i = first; i < rows.size() && i < first + count; ++i) {
        const TopRow& r = rows[i];
        out += cut(line(r.interface, r.peer, r.endpoint, std::string(status_word(r.status)),
                        format_age(r.handshake_age), format_rate(r.rx_rate), format_rate(r.tx_rate),
                        format_total(r.rx_total), format_total(r.tx_total)));
    }
    return out;
}

} // namespace wgx::cli
