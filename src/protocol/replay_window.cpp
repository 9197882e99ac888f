#include "protocol/replay_window.hpp"

#include <algorithm>

namespace wgx::protocol {

// Bit n of the ring stands for counter n (mod 8192); next_ is one past the highest counter
// seen. A new highest counter clears the words it skips over, so the ring never holds stale
// bits for counters inside the window. One word is always partly stale, hence the usable
// window of 8192 - 64 counters.

bool ReplayWindow::may_accept(std::uint64_t counter) const {
    if (counter >= REJECT_AFTER_MESSAGES)
        return false;
    if (counter >= next_)
        return true;
    if (counter + REPLAY_WINDOW_SIZE + 1 < next_)
        return false;
    return !(bits_[(counter / 64) % WORDS] >> (counter % 64) & 1);
}

bool ReplayWindow::accept(std::uint64_t counter) {
    if (!may_accept(counter))
        return false;
    if (counter >= next_) {
        std::uint64_t word_now = next_ == 0 ? 0 : (next_ - 1) / 64;
        std::uint64_t word_new = counter / 64;
        if (next_ == 0) {
            bits_.fill(0);
        } else {
            std::uint64_t skip = std::min<std::uint64_t>(word_new - word_now, WORDS);
            for (std::uint64_t i = 1; i <= skip; ++i)
                bits_[(word_now + i) % WORDS] = 0;
        }
        next_ = counter + 1;
    }
    bits_[(counter / 64) % WORDS] |= std::uint64_t(1) << (counter % 64);
    return true;
}

void ReplayWindow::reset() {
    next_ = 0;
    bits_.fill(0);
}

} // namespace wgx::protocol
