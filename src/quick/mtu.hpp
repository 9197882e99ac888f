#pragma once
// The automatic MTU, computed as wg-quick's set_mtu_up() does.
#include <optional>
#include <vector>

#include "base/ip.hpp"
#include "netlink/route.hpp"
#include "netlink/socket.hpp"

namespace wgx::quick {

/// The routing questions the computation asks; a fake answers them in tests.
class RouteLookup {
  public:
    virtual ~RouteLookup() = default;
    /// `ip route get ADDRESS`, nullopt when there is no route.
    virtual std::optional<netlink::RouteEntry> route_to(const IpAddress& address) = 0;
    /// The first line of `ip route show default` (IPv4, table main).
    virtual std::optional<netlink::RouteEntry> first_default_route() = 0;
    /// `ip link show` MTU of an interface index.
    virtual std::optional<unsigned> link_mtu(int ifindex) = 0;
};

/// The largest of each endpoint route's MTU (its `mtu` metric, else its device's MTU); if no
/// endpoint gave one, the default route's; else 1500; minus 80. Endpoints that wg-quick's
/// pattern skips (IPv6 with a scope id) are skipped.
unsigned automatic_mtu(const std::vector<Endpoint>& endpoints, RouteLookup& lookup);

/// Route questions answered by rtnetlink.
class NetlinkRouteLookup : public RouteLookup {
  public:
    explicit NetlinkRouteLookup(netlink::Socket& sock) : sock_(sock) {}
    std::optional<netlink::RouteEntry> route_to(const IpAddress& address) override;
    std::optional<netlink::RouteEntry> first_default_route() override;
    std::optional<unsigned> link_mtu(int ifindex) override;

  private:
    netlink::Socket& sock_;
};

} // namespace wgx::quick
