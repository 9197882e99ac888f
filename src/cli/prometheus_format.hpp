#pragma once
// The Prometheus text exposition format (version 0.0.4) of every interface and peer: what
// `wgx show all --format=prometheus` prints and `wgx metrics` serves or writes.
#include <string>
#include <vector>

#include "cli/named_device.hpp"

namespace wgx::cli {

/// The metrics of `devices`, each metric family once with its HELP and TYPE lines.
std::string format_prometheus(const std::vector<NamedDevice>& devices, const ReportStyle& style);

/// A label value with '\\', '"' and newlines escaped as the format requires.
std::string prometheus_label_value(std::string_view value);

} // namespace wgx::cli
