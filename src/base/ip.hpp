#pragma once
// IP addresses, prefixes and UDP endpoints: numeric parse and format (no name resolution here).
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <netinet/in.h>
#include <sys/socket.h>

namespace wgx {

/// An IPv4 or IPv6 address. IPv4 uses the first 4 bytes of `bytes`.
struct IpAddress {
    sa_family_t family = AF_UNSPEC;
    std::array<std::uint8_t, 16> bytes{};

    static IpAddress v4(const std::uint8_t* b4);
    static IpAddress v6(const std::uint8_t* b16);
    /// Parses dotted-quad IPv4 or textual IPv6 (no brackets, no scope).
    static std::optional<IpAddress> parse(std::string_view text);

    bool is_v4() const { return family == AF_INET; }
    bool is_v6() const { return family == AF_INET6; }
    unsigned max_prefix() const { return is_v4() ? 32 : 128; }
    std::size_t size() const { return is_v4() ? 4 : 16; }
    std::string to_string() const;

    /// Zeroes every bit after the first `cidr`.
    IpAddress masked(unsigned cidr) const;

    auto operator<=>(const IpAddress&) const = default;
};

/// An address with a prefix length, e.g. 10.0.0.0/8 (AllowedIPs, Address).
struct IpPrefix {
    IpAddress address;
    std::uint8_t cidr = 0;

    /// Parses "addr" (host prefix) or "addr/cidr"; cidr must be in range.
    static std::optional<IpPrefix> parse(std::string_view text);
    std::string to_string() const;
    IpPrefix masked() const { return IpPrefix{address.masked(cidr), cidr}; }
    bool contains(const IpAddress& a) const;

    auto operator<=>(const IpPrefix&) const = default;
};

/// A UDP endpoint: an IPv4 or IPv6 socket address (with scope id for link-local IPv6).
struct Endpoint {
    sockaddr_storage storage{};

    static Endpoint from_sockaddr(const sockaddr* sa, socklen_t len);
    static Endpoint from(const IpAddress& addr, std::uint16_t port);
    /// Parses numeric "1.2.3.4:51820" or "[fd00::1]:51820" (scope "%ifname" or "%N" accepted).
    static std::optional<Endpoint> parse(std::string_view text);

    sa_family_t family() const { return storage.ss_family; }
    bool valid() const { return family() == AF_INET || family() == AF_INET6; }
    const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage); }
    socklen_t sa_len() const;
    IpAddress address() const;
    std::uint16_t port() const;
    /// Formats as wg does: "1.2.3.4:51820" or "[fd00::1]:51820".
    std::string to_string() const;

    bool operator==(const Endpoint& o) const;
};

} // namespace wgx
