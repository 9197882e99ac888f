#pragma once
// DNS through resolvconf(8), as wg-quick does it: `resolvconf -a PREFIX.IF -m 0 -x` fed
// nameserver/search lines, `resolvconf -d PREFIX.IF -f` to remove them.
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace wgx::quick {

/// wg-quick's resolvconf_iface_prefix(): "NAME." from the first "NAME*" line of
/// /etc/resolvconf/interface-order (NAME of [A-Za-z0-9-]+), "" when none.
std::string resolvconf_prefix(std::istream& interface_order);
/// The same from the system's file ("" when it is absent).
std::string resolvconf_prefix();

/// The text given to `resolvconf -a`: one "nameserver X" line each, then "search A B ..." if
/// there are search domains.
std::string resolvconf_input(const std::vector<std::string>& servers,
                             const std::vector<std::string>& search);

/// The nameservers `save` keeps: lines "nameserver X" of a resolvconf listing.
std::vector<std::string> saved_nameservers(std::string_view listing);

} // namespace wgx::quick
