#pragma once
// What `wgx top` shows: one row per peer with its rates between two samples, sorted by traffic,
// and the text of one screen. Pure functions of the samples, so every byte is unit-tested.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/named_device.hpp"

namespace wgx::cli {

struct TopRow {
    std::string interface;
    /// The peer's name, else the first characters of its key.
    std::string peer;
    std::string endpoint;
    PeerStatus status = PeerStatus::never;
    /// Seconds since the latest handshake; -1 when there was none.
    long long handshake_age = -1;
    double rx_rate = 0, tx_rate = 0; // bytes per second
    std::uint64_t rx_total = 0, tx_total = 0;
};

/// The rows for `after`, with rates against `before` over `seconds` (a peer new in `after`, or
/// whose counters went down because it was re-added, gets rate 0), most traffic first.
std::vector<TopRow> top_rows(const std::vector<NamedDevice>& before,
                             const std::vector<NamedDevice>& after, double seconds,
                             const ReportStyle& style);

/// A column header and rows[first, first + count), each line cut to `width` characters.
std::string format_top_table(const std::vector<TopRow>& rows, std::size_t first, std::size_t count,
                             std::size_t width);

/// "0B/s", "512B/s", "1.50KiB/s", "3.20MiB/s" (one word, so that scripts can split columns).
std::string format_rate(double bytes_per_second);
/// "0B", "1.00KiB", ... "5.00TiB".
std::string format_total(std::uint64_t bytes);
/// "-" (never), "5s", "3m20s", "2h05m", "4d03h".
std::string format_age(long long seconds);

} // namespace wgx::cli
