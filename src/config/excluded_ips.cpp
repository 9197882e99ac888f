#include "config/excluded_ips.hpp"

namespace wgx::config {

namespace {

/// `outer` holds every address of `inner` (same family, shorter or equal prefix).
bool covers(const IpPrefix& outer, const IpPrefix& inner) {
    return outer.address.family == inner.address.family && outer.cidr <= inner.cidr &&
           outer.contains(inner.address);
}

bool overlaps(const IpPrefix& a, const IpPrefix& b) {
    return covers(a, b) || covers(b, a);
}

/// The two halves of `p` (p.cidr < max_prefix).
std::pair<IpPrefix, IpPrefix> halves(const IpPrefix& p) {
    IpPrefix low{p.address, std::uint8_t(p.cidr + 1)};
    IpPrefix high = low;
    high.address.bytes[p.cidr / 8] |= std::uint8_t(0x80u >> (p.cidr % 8));
    return {low, high};
}

std::vector<IpPrefix> overlapping(const IpPrefix& p, const std::vector<IpPrefix>& set) {
    std::vector<IpPrefix> out;
    for (const auto& s : set)
        if (overlaps(p, s))
            out.push_back(s);
    return out;
}

// Walks down the prefix tree from `node`, looking only at the prefixes that touch it. A node
// wholly allowed and untouched by exclusions is kept whole; a node whose two halves both come
// back whole is itself whole (two sibling AllowedIPs merge), which keeps the result minimal.
// Only nodes on the boundary of some input prefix are split, so the walk is at most
// (inputs x address bits) deep and wide.
void subtract_into(const IpPrefix& node, const std::vector<IpPrefix>& allowed,
                   const std::vector<IpPrefix>& excluded, std::vector<IpPrefix>& out) {
    auto allow = overlapping(node, allowed);
    if (allow.empty())
        return;
    auto exclude = overlapping(node, excluded);
    for (const auto& e : exclude)
        if (covers(e, node))
            return;
    bool whole = false;
    for (const auto& a : allow)
        whole = whole || covers(a, node);
    if (whole && exclude.empty()) {
        out.push_back(node);
        return;
    }
    if (node.cidr == node.address.max_prefix())
        return; // unreachable: a host prefix is either covered or disjoint
    auto [low, high] = halves(node);
    std::size_t start = out.size();
    subtract_into(low, allow, exclude, out);
    std::size_t mid = out.size();
    subtract_into(high, allow, exclude, out);
    if (mid == start + 1 && out.size() == mid + 1 && out[start] == low && out[mid] == high) {
        out.resize(start);
        out.push_back(node);
    }
}

} // namespace

std::vector<IpPrefix> subtract_prefixes(std::span<const IpPrefix> allowed,
                                        std::span<const IpPrefix> excluded) {
    std::vector<IpPrefix> out;
    for (sa_family_t family : {sa_family_t(AF_INET), sa_family_t(AF_INET6)}) {
        std::vector<IpPrefix> a, e;
        for (const auto& p : allowed)
            if (p.address.family == family)
                a.push_back(p.masked());
        for (const auto& p : excluded)
            if (p.address.family == family)
                e.push_back(p.masked());
        IpPrefix root;
        root.address.family = family;
        subtract_into(root, a, e, out);
    }
    return out;
}

std::string join_prefixes(std::span<const IpPrefix> prefixes) {
    std::string out;
    for (const auto& p : prefixes) {
        if (!out.empty())
            out += ", ";
        out += p.to_string();
    }
    return out;
}

} // namespace wgx::config
