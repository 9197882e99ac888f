#pragma once
// The nftables rules wg-quick installs with a default route through the tunnel: drop packets
// to the tunnel's addresses that arrive on another interface, and carry the fwmark of the
// tunnel's own UDP packets through conntrack. Applied through libnftables, not `nft`.
#include <cstdint>
#include <string>
#include <vector>

#include "base/ip.hpp"
#include "base/result.hpp"

namespace wgx::quick {

/// "ip" or "ip6".
std::string nft_family(int address_family);
/// "wg-quick-IF": the same table name as wg-quick, so either tool cleans up after the other.
std::string nft_table_name(const std::string& interface);

/// The ruleset text wg-quick feeds `nft -f` for one family, byte for byte. `addresses` are the
/// interface's addresses of that family, in `ip -o addr show` order.
std::string nft_ruleset(int address_family, const std::string& interface, std::uint32_t fwmark,
                        const std::vector<IpAddress>& addresses);

/// Runs nft commands (a ruleset text) through libnftables. Error: nft's messages.
Result<void> nft_run(const std::string& commands);
/// `nft list tables`: "FAMILY NAME" of every table.
Result<std::vector<std::string>> nft_tables();

} // namespace wgx::quick
