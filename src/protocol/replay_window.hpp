#pragma once
// The receive-side replay window of RFC 6479 with 8192 bits, as the kernel and wireguard-go
// have it: counters may arrive out of order within the window; duplicates and counters older
// than the window are rejected. Only authenticated counters may be recorded.
#include <array>
#include <cstdint>

#include "protocol/messages.hpp"

namespace wgx::protocol {

class ReplayWindow {
  public:
    /// True when `counter` could be accepted (cheap pre-check before decryption; no change).
    bool may_accept(std::uint64_t counter) const;
    /// Records an authenticated counter. False (and no change) for a replay or a too-old one.
    bool accept(std::uint64_t counter);
    /// The highest counter seen plus one (0 when none).
    std::uint64_t next() const { return next_; }
    void reset();

  private:
    static constexpr std::size_t WORDS = REPLAY_WINDOW_BITS / 64;
    std::uint64_t next_ = 0;
    std::array<std::uint64_t, WORDS> bits_{};
};

} // namespace wgx::protocol
