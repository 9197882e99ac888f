#pragma once
// Reading every interface (or one) with its peer names: what `metrics` and `top` sample.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "cli/named_device.hpp"

namespace wgx::cli {

/// The interface `only`, or every interface when it is empty. An interface that vanishes while
/// being read is skipped; failing to list, or to read `only`, is an error (errno in code).
Result<std::vector<NamedDevice>> read_named_devices(const std::string& only = "");

} // namespace wgx::cli
