#pragma once
// When the device counts as "under load" (whitepaper §5.3: then handshake messages need a
// valid MAC2 and get cookie replies). wireguard-go's measure is its handshake queue holding an
// eighth of its capacity (128 of 1024), staying under load for a second after. A single-threaded
// engine has no queue, so the same figure is taken as a rate: 128 handshake messages within
// 1/8 s (about 1000/s, what one core answers), then under load for one second.
#include <cstdint>

#include "base/now.hpp"

namespace wgx::engine {

class HandshakeLoad {
  public:
    static constexpr unsigned THRESHOLD = 128;
    static constexpr auto WINDOW = std::chrono::milliseconds(125);
    static constexpr auto HOLD = std::chrono::seconds(1);

    /// Counts one handshake message (initiation or response) arriving at `now`.
    void on_handshake_message(MonoTime now);
    /// Whether handshake messages arriving at `now` meet a device under load.
    bool under_load(MonoTime now) const { return now < under_load_until_; }

  private:
    MonoTime window_start_{};
    unsigned in_window_ = 0;
    MonoTime under_load_until_{};
};

} // namespace wgx::engine
