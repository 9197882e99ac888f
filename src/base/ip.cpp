#include "base/ip.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <net/if.h>
#include <netdb.h>

namespace wgx {

IpAddress IpAddress::v4(const std::uint8_t* b4) {
    IpAddress a;
    a.family = AF_INET;
    std::memcpy(a.bytes.data(), b4, 4);
    return a;
}

IpAddress IpAddress::v6(const std::uint8_t* b16) {
    IpAddress a;
    a.family = AF_INET6;
    std::memcpy(a.bytes.data(), b16, 16);
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN)
        return std::nullopt;
    std::string s(text);
    IpAddress a;
    if (s.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1)
            return std::nullopt;
        a.family = AF_INET;
    } else {
        if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1)
            return std::nullopt;
        a.family = AF_INET6;
    }
    return a;
}

namespace {

/// "a.b.c.d", what inet_ntop writes for IPv4, made without its sprintf (a 10k-peer show formats
/// 30k addresses); returns the end.
char* format_v4(const std::uint8_t* b, char* out) {
    for (int i = 0; i < 4; ++i) {
        if (i)
            *out++ = '.';
        out = std::to_chars(out, out + 3, unsigned(b[i])).ptr;
    }
    return out;
}

} // namespace

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (is_v4())
        return std::string(buf, format_v4(bytes.data(), buf));
    if (!is_v6())
        return "(none)";
    inet_ntop(family, bytes.data(), buf, sizeof buf);
    return buf;
}

IpAddress IpAddress::masked(unsigned cidr) const {
    IpAddress out = *this;
    for (unsigned i = 0; i < size(); ++i) {
        unsigned bits = cidr > i * 8 ? cidr - i * 8 : 0;
        if (bits >= 8)
            continue;
        out.bytes[i] &= std::uint8_t(0xff00u >> bits);
    }
    for (std::size_t i = size(); i < 16; ++i)
        out.bytes[i] = 0;
    return out;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
    auto slash = text.find('/');
    auto addr = IpAddress::parse(text.substr(0, slash));
    if (!addr)
        return std::nullopt;
    unsigned cidr = addr->max_prefix();
    if (slash != std::string_view::npos) {
        auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3)
            return std::nullopt;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cidr);
        if (ec != std::errc() || p != digits.data() + digits.size() || cidr > addr->max_prefix())
            return std::nullopt;
    }
    return IpPrefix{*addr, std::uint8_t(cidr)};
}

std::string IpPrefix::to_string() const {
    std::string out = address.to_string();
    char digits[4];
    out += '/';
    out.append(digits, std::to_chars(digits, digits + sizeof digits, unsigned(cidr)).ptr);
    return out;
}

bool IpPrefix::contains(const IpAddress& a) const {
    return a.family == address.family && a.masked(cidr) == address.masked(cidr);
}

Endpoint Endpoint::from_sockaddr(const sockaddr* sa, socklen_t len) {
    Endpoint e;
    if (sa && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6) &&
        len <= socklen_t(sizeof e.storage))
        std::memcpy(&e.storage, sa, len);
    return e;
}

Endpoint Endpoint::from(const IpAddress& addr, std::uint16_t port) {
    Endpoint e;
    if (addr.is_v4()) {
        auto* in = reinterpret_cast<sockaddr_in*>(&e.storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        std::memcpy(&in->sin_addr, addr.bytes.data(), 4);
    } else if (addr.is_v6()) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&e.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        std::memcpy(&in6->sin6_addr, addr.bytes.data(), 16);
    }
    return e;
}

std::optional<Endpoint> Endpoint::parse(std::string_view text) {
    std::string_view host, port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            return std::nullopt;
    }
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535)
        return std::nullopt;
    std::string_view scope;
    if (auto pct = host.find('%'); pct != std::string_view::npos) {
        scope = host.substr(pct + 1);
        host = host.substr(0, pct);
    }
    auto addr = IpAddress::parse(host);
    if (!addr || (!scope.empty() && !addr->is_v6()))
        return std::nullopt;
    Endpoint e = from(*addr, std::uint16_t(p));
    if (!scope.empty()) {
        std::string sc(scope);
        unsigned id = if_nametoindex(sc.c_str());
        if (id == 0) {
            auto [se, sec] = std::from_chars(sc.data(), sc.data() + sc.size(), id);
            if (sec != std::errc() || se != sc.data() + sc.size())
                return std::nullopt;
        }
        reinterpret_cast<sockaddr_in6*>(&e.storage)->sin6_scope_id = id;
    }
    return e;
}

socklen_t Endpoint::sa_len() const {
    return family() == AF_INET    ? sizeof(sockaddr_in)
           : family() == AF_INET6 ? sizeof(sockaddr_in6)
                                  : 0;
}

IpAddress Endpoint::address() const {
    if (family() == AF_INET)
        return IpAddress::v4(reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr));
    if (family() == AF_INET6)
        return IpAddress::v6(reinterpret_cast<const std::uint8_t*>(
            &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr));
    return {};
}

std::uint16_t Endpoint::port() const {
    if (family() == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    return 0;
}

std::string Endpoint::to_string() const {
    // wg formats with getnameinfo(NI_NUMERICHOST), which appends "%scope" to link-local IPv6.
    if (family() == AF_INET) {
        // getnameinfo's numeric form, without its sprintf calls.
        const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
        char buf[INET_ADDRSTRLEN + 6];
        char* end = format_v4(reinterpret_cast<const std::uint8_t*>(&in->sin_addr), buf);
        *end++ = ':';
        end = std::to_chars(end, buf + sizeof buf, unsigned(ntohs(in->sin_port))).ptr;
        return std::string(buf, end);
    }
    char host[NI_MAXHOST] = {}, serv[NI_MAXSERV] = {};
    if (!valid() || getnameinfo(sa(), sa_len(), host, sizeof host, serv, sizeof serv,
                                NI_NUMERICHOST | NI_NUMERICSERV | NI_DGRAM))
        return "(none)";
    if (family() == AF_INET6)
        return std::string("[") + host + "]:" + serv;
    return std::string(host) + ":" + serv;
}

bool Endpoint::operator==(const Endpoint& o) const {
    if (family() != o.family())
        return false;
    if (!valid())
        return true;
    if (address() != o.address() || port() != o.port())
        return false;
    if (family() == AF_INET6)
        return reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_scope_id ==
               reinterpret_cast<const sockaddr_in6*>(&o.storage)->sin6_scope_id;
    return true;
}

} // namespace wgx
