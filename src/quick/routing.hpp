#pragma once
// Which routes wg-quick adds and where: the order of the allowed IPs, the Table setting and
// the routing-table names of /etc/iproute2/rt_tables.
#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::quick {

/// The allowed IPs of every peer as `wg show IF allowed-ips` lists them (masked, once each),
/// in wg-quick's order: `sort -nr -k 2 -t /`, longest prefix first, ties in reverse byte order.
std::vector<IpPrefix> routes_in_order(const model::Device& device);

/// Routing table names, as ip reads them: the built-in local/main/default, then
/// /etc/iproute2/rt_tables and /etc/iproute2/rt_tables.d/*.conf.
class TableNames {
  public:
    TableNames();
    /// Adds the "ID NAME" lines of one rt_tables file (comments and junk ignored).
    void read(std::istream& in);
    /// Reads the system's files.
    static TableNames from_system();
    /// ip's rtnl_rttable_a2n(): a known name, else a number (decimal, 0x hex or 0 octal).
    std::optional<std::uint32_t> lookup(const std::string& name) const;

  private:
    std::map<std::string, std::uint32_t> names_;
};

/// The Table key: unset or `auto` (main, with default-route handling), `off` (no routes), or
/// an explicit table.
struct TableChoice {
    enum class Kind { automatic, off, table } kind = Kind::automatic;
    std::uint32_t id = 254;
};

/// Resolves the Table value as wg-quick and ip do. Error: ip's wording for a bad table.
Result<TableChoice> choose_table(const std::optional<std::string>& value, const TableNames& names);

/// The first table at or above 51820 with no IPv4 and no IPv6 route (wg-quick's search).
std::uint32_t first_free_table(const std::vector<std::uint32_t>& tables_in_use);

} // namespace wgx::quick
