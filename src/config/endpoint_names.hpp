#pragma once
// The host names behind peers' endpoints, kept in the runtime file while an interface is up so
// that they can be looked up again later (`wgx reresolve`): wg itself only ever sees the address
// a name had at `up`. wgx-quick records them, wgx reads them.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "config/runtime_file.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// The peers of `device` whose Endpoint is a name (Peer::endpoint_host, before resolution).
std::vector<EndpointName> endpoint_names_of(const model::Device& device);

/// The interface's names from its runtime file; an empty list when it has no file.
Result<std::vector<EndpointName>> read_endpoint_names(const std::string& interface);
/// Interfaces whose runtime file names at least one endpoint host.
std::vector<std::string> interfaces_with_endpoint_names();

} // namespace wgx::config
