#pragma once
// The host names behind peers' endpoints, kept while an interface is up so that they can be
// looked up again later (`wgx reresolve`): wg itself only ever sees the address a name had at
// `up`. wgx-quick writes the file, wgx reads it; its format lives here.
//
// Format: one line per peer, "PUBLIC-KEY HOST:PORT" (base64 key, the Endpoint value as the
// file gave it), in file order; nothing else.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::config {

struct EndpointName {
    model::Key public_key;
    std::string endpoint; // "host:port" or "[host]:port"
};

/// $WGX_QUICK_STATE_DIR/IF.endpoints, by default /run/wgx-quick/IF.endpoints.
std::string endpoint_names_path(const std::string& interface);

/// The peers of `device` whose Endpoint is a name (Peer::endpoint_host, before resolution).
std::vector<EndpointName> endpoint_names_of(const model::Device& device);

std::string format_endpoint_names(const std::vector<EndpointName>& names);
/// Lines that do not parse are errors naming the line ("PATH:LINE: ...").
Result<std::vector<EndpointName>> parse_endpoint_names(std::string_view text,
                                                       const std::string& source);

/// Writes the file (0600, atomically); with no names, removes it.
Result<void> write_endpoint_names(const std::string& interface,
                                  const std::vector<EndpointName>& names);
/// The interface's names; an empty list when it has no file.
Result<std::vector<EndpointName>> read_endpoint_names(const std::string& interface);
/// Removes the file (down).
void forget_endpoint_names(const std::string& interface);
/// Interfaces that have a file.
std::vector<std::string> interfaces_with_endpoint_names();

} // namespace wgx::config
