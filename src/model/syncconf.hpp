#pragma once
// The syncconf diff: the smallest update that turns a running device into a configuration file's
// contents without disturbing what both already agree on (so untouched peers keep sessions).
#include "model/device.hpp"

namespace wgx::model {

/// Which wg's syncconf to follow where versions differ.
struct SyncOptions {
    /// wireguard-tools after 1.0.20210914 clear a preshared key / persistent keepalive that the
    /// device has and the file omits; Debian 12's 1.0.20210914 (the reference the tests compare
    /// with) leaves them. Default: the installed reference's behaviour.
    bool clear_omitted_psk_and_keepalive = false;
};

/// Given `current` (a get of the interface) and `desired` (a full configuration as read from a
/// file, every peer with replace_allowed_ips), returns the update `wg syncconf` means:
/// - device private_key / listen_port / fwmark only where `desired` sets them and they differ
///   (setconf/syncconf callers set absent ones to zero/0 first, as wg does);
/// - peers of `current` absent from `desired`: {public_key, remove};
/// - peers of `desired` absent from `current`: sent whole (as in the file);
/// - peers in both: only the fields that differ (see SyncOptions for omitted ones);
///   replace_allowed_ips + the full list only when the set of prefixes differs;
///   a peer with no difference is not mentioned at all.
/// A key named in several [Peer] sections is merged in order, as applying them would.
/// The result never has replace_peers set. `name` is copied from `desired`.
/// Endpoints are compared as resolved addresses (resolve `desired` first).
Device syncconf_diff(const Device& current, const Device& desired, const SyncOptions& options = {});

/// True when the update changes nothing (no device field, no peer).
bool is_empty_update(const Device& update);

} // namespace wgx::model
