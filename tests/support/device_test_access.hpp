#pragma once
// Test-only hooks into a Device's private state, for behaviour that real traffic cannot reach in
// a unit test (2^60 messages). Device names this struct as a friend but the product never
// defines it: only the tests do, here. The data path stays exactly as in production (the real
// limits, no extra checks).
#include <algorithm>
#include <cstdint>

#include "protocol/device.hpp"
#include "protocol/device_impl.hpp"

namespace wgx::protocol {

struct DeviceTestAccess {
    /// Makes `peer`'s current keypair send its next message with counter `next_counter` (capped
    /// at REJECT_AFTER_MESSAGES), as if that many had been sent, so REKEY_AFTER_MESSAGES and
    /// REJECT_AFTER_MESSAGES can be crossed through the whole Device. False when the peer or
    /// its current keypair does not exist.
    static bool set_send_counter(Device& device, const Key& peer, std::uint64_t next_counter) {
        Peer* p = device.impl_->find(peer);
        if (!p || !p->keypairs.current)
            return false;
        p->keypairs.current->send_counter = std::min(next_counter, REJECT_AFTER_MESSAGES);
        return true;
    }
};

} // namespace wgx::protocol
