#pragma once
// ExcludedIPs: a peer's AllowedIPs with some ranges cut out, as the smallest list of prefixes
// that covers exactly the addresses left (what people otherwise compute with web calculators).
#include <span>
#include <string>
#include <vector>

#include "base/ip.hpp"

namespace wgx::config {

/// The addresses in `allowed` and not in `excluded`, as the minimal set of prefixes: each one as
/// large as it can be, none overlapping, IPv4 first, each family in address order. Host bits in
/// the inputs are ignored (10.0.0.1/8 means 10.0.0.0/8); families never mix.
std::vector<IpPrefix> subtract_prefixes(std::span<const IpPrefix> allowed,
                                        std::span<const IpPrefix> excluded);

/// "a/n, b/m" (the form of an AllowedIPs value); empty for an empty set.
std::string join_prefixes(std::span<const IpPrefix> prefixes);

} // namespace wgx::config
