#pragma once
// Carrying out Undo values on the real system, and the resolvconf calls `up` and `down` make.
#include <string>

#include "netlink/socket.hpp"
#include "quick/plan.hpp"

namespace wgx::quick {

/// Runs undos with rtnetlink, libnftables, resolvconf, systemd-resolved's bus API, the saved
/// copy of /etc/resolv.conf and /proc/sys. A link that is already
/// gone (an engine that died) is not an error; its stale UAPI socket is removed.
class SystemUndoRunner : public UndoRunner {
  public:
    explicit SystemUndoRunner(netlink::Socket& sock) : sock_(sock) {}
    Result<void> run(const Undo& undo) override;

  private:
    netlink::Socket& sock_;
};

/// `resolvconf ARGS...` with `input` on stdin. Error when it is missing or fails.
Result<void> run_resolvconf(const std::vector<std::string>& args, const std::string& input);

} // namespace wgx::quick
