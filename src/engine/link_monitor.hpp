#pragma once
// Watches the engine's namespace for changes to its link (RTM_NEWLINK / RTM_DELLINK on an
// rtnetlink socket): up, down, MTU, deletion, and the move into another namespace (which this
// namespace sees as a deletion). The engine answers each event with TunDevice::query().
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace wgx::engine {

/// True when a batch of rtnetlink messages holds a link message for `ifindex` (or reports an
/// overrun, after which any link may have changed).
bool batch_mentions_link(ByteView batch, int ifindex);

class LinkMonitor {
  public:
    /// Subscribes to RTMGRP_LINK in the caller's namespace.
    static Result<LinkMonitor> open();

    int fd() const { return fd_.get(); }
    /// Drains the socket; true when some message concerned `ifindex` (or messages were lost).
    bool drain(int ifindex);

  private:
    explicit LinkMonitor(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace wgx::engine
