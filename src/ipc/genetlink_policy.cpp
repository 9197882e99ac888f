#include "ipc/genetlink_policy.hpp"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include "ipc/genetlink_attr.hpp"
#include "ipc/genetlink_codec.hpp"

namespace wgx::ipc::genetlink {

void PolicyDump::add(ByteView attrs) {
    nl::for_each_attr(attrs, [&](const nl::Attr& a) {
        if (a.type == CTRL_ATTR_POLICY) {
            // { policy index { attribute type { NL_POLICY_TYPE_ATTR_* } } }
            nl::for_each_attr(a.payload, [&](const nl::Attr& policy) {
                auto& table = policies_[policy.type];
                nl::for_each_attr(policy.payload, [&](const nl::Attr& attr) {
                    PolicyAttr& out = table[attr.type];
                    nl::for_each_attr(attr.payload, [&](const nl::Attr& prop) {
                        if (prop.type == NL_POLICY_TYPE_ATTR_TYPE)
                            out.type = prop.u32().value_or(0);
                        else if (prop.type == NL_POLICY_TYPE_ATTR_POLICY_IDX)
                            out.nested_policy = prop.u32();
                    });
                });
            });
        } else if (a.type == CTRL_ATTR_OP_POLICY) {
            // { command { CTRL_ATTR_POLICY_DO: index, CTRL_ATTR_POLICY_DUMP: index } }
            nl::for_each_attr(a.payload, [&](const nl::Attr& op) {
                nl::for_each_attr(op.payload, [&](const nl::Attr& which) {
                    if (which.type == CTRL_ATTR_POLICY_DO)
                        if (auto idx = which.u32())
                            do_policy_[op.type] = *idx;
                });
            });
        }
    });
}

bool PolicyDump::allowed_ip_flags_supported() const {
    auto nested = [&](std::optional<std::uint32_t> policy,
                      std::uint16_t attr) -> std::optional<std::uint32_t> {
        if (!policy)
            return std::nullopt;
        auto table = policies_.find(*policy);
        if (table == policies_.end())
            return std::nullopt;
        auto it = table->second.find(attr);
        if (it == table->second.end())
            return std::nullopt;
        return it->second.nested_policy;
    };
    // Kernels that dump a single family-wide policy (before per-command policies) number it 0.
    auto op = do_policy_.find(WG_CMD_SET_DEVICE);
    std::optional<std::uint32_t> device =
        op != do_policy_.end() ? op->second : std::optional<std::uint32_t>(0);
    auto allowed_ip = nested(nested(device, WGDEVICE_A_PEERS), WGPEER_A_ALLOWEDIPS);
    if (!allowed_ip)
        return false;
    auto table = policies_.find(*allowed_ip);
    if (table == policies_.end())
        return false;
    auto flags = table->second.find(ALLOWEDIP_A_FLAGS);
    return flags != table->second.end() && flags->second.type == NL_ATTR_TYPE_U32;
}

} // namespace wgx::ipc::genetlink
