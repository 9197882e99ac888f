#pragma once
// Watches the engine's namespace over rtnetlink: changes to its link (RTM_NEWLINK /
// RTM_DELLINK: up, down, MTU, deletion, and the move into another namespace, which this
// namespace sees as a deletion), and changes to routes and addresses, after which a peer's
// cached source address may no longer be the one routing prefers. The engine answers link
// events with TunDevice::query() and route events with a recheck of the cached sources.
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace wgx::engine {

/// True when a batch of rtnetlink messages holds a link message for `ifindex`.
bool batch_mentions_link(ByteView batch, int ifindex);
/// True when a batch of rtnetlink messages holds a route or address change.
bool batch_mentions_routes(ByteView batch);

/// What a drain of the monitor found.
struct MonitorEvents {
    bool link = false;
    bool routes = false;
};

class LinkMonitor {
  public:
    /// Subscribes to link, IPv4/IPv6 route and address changes in the caller's namespace.
    static Result<LinkMonitor> open();

    int fd() const { return fd_.get(); }
    /// Drains the socket. After an overrun (messages lost) both kinds are reported.
    MonitorEvents drain(int ifindex);

  private:
    explicit LinkMonitor(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace wgx::engine
