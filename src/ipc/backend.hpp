#pragma once
// Talking to an interface is three calls -- get, set, list -- with two backends behind them:
// the UAPI unix socket (/var/run/wireguard/IF.sock) and the kernel's generic netlink family.
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::ipc {

/// One way of reaching WireGuard interfaces. Errors carry an errno in Error::code, so that the
/// CLI can print wg's "Unable to access interface: <strerror>" wording.
class Backend {
  public:
    virtual ~Backend() = default;
    /// The full state of one interface (keys, peers, counters, handshake times).
    virtual Result<model::Device> get(const std::string& ifname) = 0;
    /// Applies a (partial) update; `update.name` names the interface.
    virtual Result<void> set(const model::Device& update) = 0;
    /// The names of the interfaces this backend can reach.
    virtual Result<std::vector<std::string>> list() = 0;
};

} // namespace wgx::ipc
