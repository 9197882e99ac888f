#pragma once
// Kernel parameters under /proc/sys (per network namespace for net.*).
#include <string>

#include "base/result.hpp"

namespace wgx::netlink {

/// The value of `name` ("net.ipv4.conf.all.src_valid_mark"), without the trailing newline.
Result<std::string> read_sysctl(const std::string& name);
/// `sysctl -q NAME=VALUE`. Undo: write_sysctl with the value read before.
Result<void> write_sysctl(const std::string& name, const std::string& value);
/// "/proc/sys/net/ipv4/conf/all/src_valid_mark" for "net.ipv4.conf.all.src_valid_mark".
std::string sysctl_path(const std::string& name);

} // namespace wgx::netlink
