#pragma once
// Test-only hooks into a Device's private state, for behaviour that real traffic cannot reach in
// a unit test (2^60 messages). Kept out of device.hpp so the engine never sees them; they live
// off the data path, which stays exactly as in production (the real limits, no extra checks).
#include <cstdint>

#include "protocol/device.hpp"

namespace wgx::protocol {

struct DeviceTestAccess {
    /// Makes `peer`'s current keypair send its next message with counter `next_counter` (capped
    /// at REJECT_AFTER_MESSAGES), as if that many had been sent, so REKEY_AFTER_MESSAGES and
    /// REJECT_AFTER_MESSAGES can be crossed through the whole Device. False when the peer or
    /// its current keypair does not exist.
    static bool set_send_counter(Device& device, const Key& peer, std::uint64_t next_counter);
};

} // namespace wgx::protocol
