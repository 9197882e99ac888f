#pragma once
// `wgx show ... --json`: the fields of `wg show dump` with types, plus each peer's name and
// status. The schema is docs/wgx-show.schema.json (and wgx(8), "JSON OUTPUT").
#include <string>
#include <vector>

#include "base/secret_string.hpp"
#include "cli/named_device.hpp"

namespace wgx::cli {

/// `show IF --json`: one interface object, pretty-printed, ending in '\n'.
/// The two device forms carry the keys with WG_HIDE_KEYS=never: SecretStrings, wiped when freed.
SecretString format_json_device(const NamedDevice& device, const ReportStyle& style);
/// `show all --json`: an array of interface objects.
SecretString format_json_devices(const std::vector<NamedDevice>& devices, const ReportStyle& style);
/// `show interfaces --json`: an array of interface names.
std::string format_json_interface_names(const std::vector<std::string>& names);

} // namespace wgx::cli
