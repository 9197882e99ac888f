#pragma once
// Incremental allowed-ips ("-prefix" removals). Implementations that know `allowed_ip=-P`
// (newer wireguard-go, wgx-engine, newer kernels) get it natively; for the others (Debian's
// wireguard-go answers errno=-22) the removal is emulated: read the peer's list, apply the
// additions and removals in order, and send the result with replace_allowed_ips.
#include <optional>

#include "ipc/backend.hpp"
#include "model/device.hpp"

namespace wgx::ipc {

/// True when some peer of the update removes an allowed IP.
bool has_allowed_ip_removals(const model::Device& update);

/// A harmless update that tells whether the interface understands removals: it removes, from
/// an existing peer of `current`, a prefix that peer does not have. nullopt when `current` has
/// no peer to probe with.
std::optional<model::Device> removal_probe(const model::Device& current);

/// Rewrites `update` without removals against the interface state `current`: each peer that
/// removes something and exists in `current` gets replace_allowed_ips and its resulting list;
/// removals on peers that do not exist yet (or that replace their list) are dropped, since
/// there is nothing to remove.
model::Device emulate_allowed_ip_removals(const model::Device& update,
                                          const model::Device& current);

/// Applies `update` through `backend`. With `probe`, native removals are used when a probe
/// request shows the interface understands them; otherwise (or without `probe`, for backends
/// where an unknown removal might be taken as an addition) they are emulated.
Result<void> set_with_removals(Backend& backend, const model::Device& update, bool probe);

} // namespace wgx::ipc
