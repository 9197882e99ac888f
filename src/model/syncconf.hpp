#pragma once
// The syncconf diff: the smallest update that turns a running device into a configuration file's
// contents without disturbing what both already agree on (so untouched peers keep sessions).
#include "model/device.hpp"

namespace wgx::model {

/// Given `current` (a get of the interface) and `desired` (a full configuration as read from a
/// file, every peer with replace_allowed_ips), returns the update `wg syncconf` means:
/// - device private_key / listen_port / fwmark only where `desired` sets them and they differ;
/// - peers of `current` absent from `desired`: {public_key, remove};
/// - peers of `desired` absent from `current`: sent whole (as in the file);
/// - peers in both: only the fields that differ; a preshared key or persistent keepalive that
///   `current` has and `desired` lacks is cleared (zero key / 0) as wg syncconf does;
///   replace_allowed_ips + the full list only when the set of prefixes differs;
///   a peer with no difference is not mentioned at all.
/// The result never has replace_peers set. `name` is copied from `desired`.
/// Endpoints are compared as resolved addresses (resolve `desired` first).
Device syncconf_diff(const Device& current, const Device& desired);

/// True when the update changes nothing (no device field, no peer).
bool is_empty_update(const Device& update);

} // namespace wgx::model
