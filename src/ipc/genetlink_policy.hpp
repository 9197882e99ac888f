#pragma once
// Feature detection from the kernel's own description of the wireguard family: the generic
// netlink controller's policy dump (CTRL_CMD_GETPOLICY), never the kernel version.
#include <cstdint>
#include <map>
#include <optional>

#include "base/bytes.hpp"

namespace wgx::ipc::genetlink {

/// What one attribute of a dumped policy accepts.
struct PolicyAttr {
    std::uint32_t type = 0; // NL_ATTR_TYPE_*
    /// For nested attributes whose contents the kernel validates: the nested policy's index.
    std::optional<std::uint32_t> nested_policy;
};

/// The replies of a CTRL_CMD_GETPOLICY dump for one family, gathered.
class PolicyDump {
  public:
    /// One reply message's attributes (after the genetlink header).
    void add(ByteView attrs);

    /// True when the policy of WG_CMD_SET_DEVICE leads, through WGDEVICE_A_PEERS and
    /// WGPEER_A_ALLOWEDIPS, to an allowed-IP policy that accepts WGALLOWEDIP_A_FLAGS (u32).
    /// Kernels that validate peers without a nested policy (Linux 6.16 to 6.18 have the flag
    /// but do not show it) answer false: the caller then emulates removals, which is correct
    /// everywhere, only slower.
    bool allowed_ip_flags_supported() const;

    /// Policy index -> attribute type -> what it accepts.
    const std::map<std::uint32_t, std::map<std::uint16_t, PolicyAttr>>& policies() const {
        return policies_;
    }

  private:
    std::map<std::uint32_t, std::map<std::uint16_t, PolicyAttr>> policies_;
    /// Command -> the policy index of its "do" handler.
    std::map<std::uint32_t, std::uint32_t> do_policy_;
};

} // namespace wgx::ipc::genetlink
