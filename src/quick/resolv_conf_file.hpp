#pragma once
// The third DNS backend, for hosts with neither systemd-resolved nor resolvconf:
// /etc/resolv.conf rewritten in place of a resolver manager. The original is copied aside
// (atomically, into the state directory) before the first byte changes, and `down`, a failed
// `up` or the next `up` after a crash puts it back byte for byte.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "quick/dns_backend.hpp"

namespace wgx::quick {

/// /etc/resolv.conf.
std::string resolv_conf_path();
/// Where the original is kept while INTERFACE's DNS is in force: state_dir()/IF.resolv.conf.
std::string saved_resolv_conf_path(const std::string& interface);

/// The first line of a resolv.conf that wgx-quick wrote for `interface`.
std::string resolv_conf_marker(const std::string& interface);

/// The interface whose DNS `text` is (from its first line), "" for a file wgx-quick did not
/// write.
std::string resolv_conf_owner(std::string_view text);

/// The file in force while the tunnel is up: the marker, one nameserver line per server, a
/// search line, and the original's `options` lines (they tune the resolver, not the servers).
std::string rewritten_resolv_conf(const std::string& interface, std::string_view original,
                                  const std::vector<std::string>& servers,
                                  const std::vector<std::string>& search);

/// Copies the current resolv.conf aside (unless an earlier, crashed up of the same interface
/// left the original there already) and writes `rewritten(original)` in its place. Refuses
/// when the file holds another interface's DNS.
Result<void> replace_resolv_conf(const std::string& interface,
                                 const std::function<std::string(std::string_view)>& rewritten);

/// Writes the copy back and removes it; nothing to do when there is no copy.
Result<void> restore_resolv_conf(const std::string& interface);

} // namespace wgx::quick
