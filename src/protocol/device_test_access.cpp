#include "protocol/device_test_access.hpp"

#include <algorithm>

#include "protocol/device_impl.hpp"

namespace wgx::protocol {

bool DeviceTestAccess::set_send_counter(Device& device, const Key& peer,
                                        std::uint64_t next_counter) {
    Peer* p = device.impl_->find(peer);
    if (!p || !p->keypairs.current)
        return false;
    p->keypairs.current->send_counter = std::min(next_counter, REJECT_AFTER_MESSAGES);
    return true;
}

} // namespace wgx::protocol
