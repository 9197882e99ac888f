#include "quick/address_pool.hpp"

#include <cerrno>

namespace wgx::quick {

namespace {

__extension__ typedef unsigned __int128 u128;

u128 to_number(const IpAddress& a) {
    u128 n = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        n = (n << 8) | a.bytes[i];
    return n;
}

IpAddress from_number(u128 n, sa_family_t family) {
    IpAddress a;
    a.family = family;
    std::size_t len = family == AF_INET ? 4 : 16;
    for (std::size_t i = len; i-- > 0;) {
        a.bytes[i] = std::uint8_t(n & 0xff);
        n >>= 8;
    }
    return a;
}

/// The last address of `p` as a number.
u128 last_of(const IpPrefix& p) {
    unsigned host_bits = p.address.max_prefix() - p.cidr;
    u128 span = host_bits == 128 ? ~u128(0) : (u128(1) << host_bits) - 1;
    return to_number(p.address.masked(p.cidr)) | span;
}

/// The taken prefixes that are assignments inside `subnet`.
std::vector<IpPrefix> assignments_in(const IpPrefix& subnet, std::span<const IpPrefix> taken) {
    std::vector<IpPrefix> out;
    for (const auto& t : taken)
        if (t.address.family == subnet.address.family && t.cidr > subnet.cidr &&
            subnet.contains(t.address))
            out.push_back(t.masked());
    return out;
}

} // namespace

bool address_taken(const IpAddress& address, const IpPrefix& subnet,
                   std::span<const IpPrefix> taken) {
    for (const auto& t : assignments_in(subnet, taken))
        if (t.contains(address))
            return true;
    return false;
}

Result<IpAddress> lowest_free_address(const IpPrefix& server_address,
                                      std::span<const IpPrefix> taken) {
    const IpPrefix subnet = server_address.masked();
    const bool v4 = subnet.address.is_v4();
    const unsigned max = subnet.address.max_prefix();
    if (unsigned(subnet.cidr) + 1 >= max)
        return make_error(
            "Address " + server_address.to_string() + " has no pool of client addresses (a /" +
                std::to_string(subnet.cidr) + " leaves no room beside the server): give --address",
            EINVAL);
    auto inside = assignments_in(subnet, taken);
    // The server's own address always counts, whatever its prefix length says.
    inside.push_back(IpPrefix{server_address.address, std::uint8_t(max)});
    u128 first = to_number(subnet.address) + 1; // skips the network / all-zero host address
    u128 last = last_of(subnet) - (v4 ? 1 : 0); // skips the IPv4 broadcast address
    u128 candidate = first;
    // Each pass either returns or jumps past one taken prefix, so it ends within
    // inside.size() + 1 passes.
    for (std::size_t pass = 0; pass <= inside.size() && candidate <= last; ++pass) {
        const IpPrefix* holder = nullptr;
        for (const auto& t : inside)
            if (to_number(t.address) <= candidate && candidate <= last_of(t))
                holder = &t;
        if (!holder)
            return from_number(candidate, subnet.address.family);
        u128 end = last_of(*holder);
        if (end >= last)
            break;
        candidate = end + 1;
    }
    return make_error("no free address left in " + subnet.to_string() + ": give --address", ENOSPC);
}

} // namespace wgx::quick
