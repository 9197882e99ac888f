#pragma once
// The wireguard generic netlink family's messages (linux/wireguard.h), as pure functions over
// attribute bytes: a set request split across as many messages as it needs, and the coalescing
// of a multi-part get dump back into one device.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::ipc::genetlink {

/// Linux 6.16 added per-allowed-IP flags; older headers (Debian 12's) lack these names.
inline constexpr std::uint16_t ALLOWEDIP_A_FLAGS = 4;
inline constexpr std::uint32_t ALLOWEDIP_F_REMOVE_ME = 1U << 0;

/// Bytes of attributes per set message. wg sends page-sized messages; the kernel takes any size
/// up to the socket's send buffer, and fewer round trips make large configurations faster.
inline constexpr std::size_t DEFAULT_SET_MESSAGE_ATTRS = 16 * 1024;

/// How a set request is encoded.
struct SetEncoding {
    std::size_t max_attrs = DEFAULT_SET_MESSAGE_ATTRS;
    /// Send "-prefix" removals as WGALLOWEDIP_F_REMOVE_ME (only where the kernel has it).
    bool native_allowed_ip_removal = false;
};

/// The attributes of the WG_CMD_SET_DEVICE messages for `update`, in sending order, as
/// linux/wireguard.h documents the split: every message names the device (WGDEVICE_A_IFNAME);
/// the device's own attributes and WGDEVICE_F_REPLACE_PEERS only in the first; a peer whose
/// allowed IPs do not fit is repeated in the following message with only its public key, its
/// REMOVE_ME/UPDATE_ONLY flags and the remaining allowed IPs (never REPLACE_ALLOWEDIPS again,
/// which would drop what the previous message added). A removed peer is sent as its key and
/// WGPEER_F_REMOVE_ME alone. Fails with EINVAL for a removal without `native_allowed_ip_removal`
/// (the caller emulates those) and EMSGSIZE if a single entry cannot fit in `max_attrs`.
Result<std::vector<Bytes>> encode_set_device(const model::Device& update,
                                             const SetEncoding& how = {});

/// The attributes of the WG_CMD_GET_DEVICE dump request for `ifname`.
Bytes encode_get_device(const std::string& ifname);

/// Builds a device from the messages of a get dump, in order. A message may continue the
/// previous one: a peer whose key equals the last peer's adds to its allowed IPs; device
/// attributes come only in the first message. As wg reads it: a zero preshared key is absent,
/// a zero handshake time is absent, listen port and fwmark are absent when zero.
class DeviceDumpReader {
  public:
    explicit DeviceDumpReader(std::string name) { device_.name = std::move(name); }
    /// One reply message's attributes (after the genetlink header). EPROTO when malformed.
    Result<void> add(ByteView attrs);
    model::Device take() { return std::move(device_); }

  private:
    Result<void> add_peer(ByteView attrs);
    model::Device device_;
};

} // namespace wgx::ipc::genetlink
