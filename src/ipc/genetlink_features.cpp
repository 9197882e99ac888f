#include "ipc/genetlink_features.hpp"

#include <linux/genetlink.h>
#include <linux/wireguard.h>

#include "ipc/genetlink_attr.hpp"

namespace wgx::ipc::genetlink {

namespace {
/// The controller family's version that knows CTRL_CMD_GETPOLICY.
constexpr std::uint8_t CTRL_VERSION = 2;
} // namespace

Result<PolicyDump> dump_policy(GenlSocket& sock, std::uint16_t family) {
    PolicyDump policy;
    nl::AttrWriter w(64);
    (void)w.put_u16(CTRL_ATTR_FAMILY_ID, family);
    auto r = sock.dump(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, CTRL_VERSION, w.bytes(),
                       [&](ByteView attrs) -> Result<void> {
                           policy.add(attrs);
                           return {};
                       });
    if (!r)
        return r.error();
    return policy;
}

Result<PolicyDump> wireguard_policy() {
    auto c = connect_wireguard();
    if (!c)
        return c.error();
    return dump_policy(c->sock, c->family);
}

} // namespace wgx::ipc::genetlink
