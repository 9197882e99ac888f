#pragma once
// Whether a peer's cached source address is still the one routing would pick: the kernel's
// socket code drops a cached source when the route to the endpoint from that source leaves
// through another interface than the one the source was learned on (a better route appeared,
// with its own preferred source). The engine asks this after route or address changes.
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>

#include "base/ip.hpp"
#include "netlink/socket.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

class SourcePreference {
  public:
    /// A pass over the peers: lookups are cached for its duration (many peers share an
    /// endpoint address and source).
    explicit SourcePreference(std::uint32_t fwmark) : fwmark_(fwmark) {}

    /// False when the route to `to` from `source` no longer leaves through source.ifindex, or
    /// the source is no longer local. True when unsure (no netlink socket, lookup failed, or
    /// the source's interface is unknown), so that nothing changes without evidence.
    bool still_preferred(const Endpoint& to, const protocol::LocalSource& source);

  private:
    std::uint32_t fwmark_;
    std::optional<netlink::Socket> socket_;
    bool socket_failed_ = false;
    std::map<std::tuple<IpAddress, IpAddress, unsigned>, bool> cache_;
};

} // namespace wgx::engine
