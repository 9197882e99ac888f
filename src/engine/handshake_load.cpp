#include "engine/handshake_load.hpp"

namespace wgx::engine {

void HandshakeLoad::on_handshake_message(MonoTime now) {
    if (now - window_start_ >= WINDOW) {
        window_start_ = now;
        in_window_ = 0;
    }
    if (++in_window_ >= THRESHOLD)
        under_load_until_ = now + HOLD;
}

} // namespace wgx::engine
