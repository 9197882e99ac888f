#include "config/config_values.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <netdb.h>

#include <fmt/format.h>

namespace wgx::config {

namespace {

Error invalid(std::string message) {
    return make_error(std::move(message), EINVAL);
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

/// gai_strerror, or strerror(errno) for EAI_SYSTEM, as wg reports getaddrinfo failures.
std::string gai_message(int ret) {
    return ret == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(ret);
}

struct AddrinfoFree {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

/// wg's parse_ip(): an address with ':' is IPv6, anything else IPv4.
std::optional<IpAddress> parse_ip(std::string_view text) {
    std::string s(text);
    IpAddress a;
    int family = s.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (inet_pton(family, s.c_str(), a.bytes.data()) != 1)
        return std::nullopt;
    a.family = sa_family_t(family);
    return a;
}

} // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

Result<void> parse_listen_port(std::string_view value, std::optional<std::uint16_t>& out) {
    if (value.empty())
        return invalid("Unable to parse empty port");
    // wg resolves the port with getaddrinfo, so service names ("domain") work and the
    // messages are glibc's.
    std::string v(value);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    int ret = getaddrinfo(nullptr, v.c_str(), &hints, &res);
    if (ret != 0)
        return invalid(fmt::format("{}: `{}'", gai_message(ret), v));
    std::unique_ptr<addrinfo, AddrinfoFree> owned(res);
    if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(sockaddr_in))
        out = ntohs(reinterpret_cast<const sockaddr_in*>(res->ai_addr)->sin_port);
    else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(sockaddr_in6))
        out = ntohs(reinterpret_cast<const sockaddr_in6*>(res->ai_addr)->sin6_port);
    else
        return invalid(fmt::format("Neither IPv4 nor IPv6 address found: `{}'", v));
    return {};
}

Result<void> parse_fwmark(std::string_view value, std::optional<std::uint32_t>& out) {
    if (iequals(value, "off")) {
        out = 0;
        return {};
    }
    auto err = [&] {
        return invalid(fmt::format("Fwmark is neither 0/off nor 0-0xffffffff: `{}'", value));
    };
    if (value.empty() || value.front() < '0' || value.front() > '9')
        return err();
    std::uint64_t v = 0;
    std::string_view digits = value;
    int base = 10;
    if (value.size() > 2 && value[0] == '0' && value[1] == 'x') { // lowercase x only, as wg
        base = 16;
        digits = value.substr(2);
    }
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (ec != std::errc() || p != digits.data() + digits.size() || v > 0xffffffffu)
        return err();
    out = std::uint32_t(v);
    return {};
}

Result<void> parse_key(std::string_view value, std::optional<model::Key>& out) {
    auto key = model::Key::from_base64(value);
    if (!key)
        return invalid(fmt::format("Key is not the correct length or format: `{}'", value));
    out = *key;
    return {};
}

Result<model::Key> read_key_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f)
        return make_error(fmt::format("fopen: {}", std::strerror(errno)), errno);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(f, &std::fclose);
    // Unbuffered: stdio's own buffer would keep a copy of the key after fclose.
    std::setvbuf(f, nullptr, _IONBF, 0);
    char text[crypto::KEY_LEN_BASE64];
    std::size_t got = std::fread(text, 1, sizeof text, f);
    if (got != sizeof text) {
        if (got == 0 && !std::ferror(f) && std::feof(f))
            return model::Key{}; // empty file or /dev/null: the zero key means "remove"
        crypto::secure_zero(text, sizeof text);
        return invalid("Invalid length key in key file");
    }
    int c;
    while ((c = std::getc(f)) != EOF) {
        if (!(c == ' ' || (c >= '\t' && c <= '\r'))) {
            crypto::secure_zero(text, sizeof text);
            return invalid(fmt::format("Found trailing character in key file: `{}'", char(c)));
        }
    }
    std::optional<model::Key> key;
    auto r = parse_key(std::string_view(text, sizeof text), key);
    crypto::secure_zero(text, sizeof text);
    if (!r)
        return r.error();
    return *key;
}

Result<void> parse_persistent_keepalive(std::string_view value, std::optional<std::uint16_t>& out) {
    if (iequals(value, "off")) {
        out = 0;
        return {};
    }
    auto v = parse_decimal<std::uint16_t>(value);
    if (!v)
        return invalid(
            fmt::format("Persistent keepalive interval is neither 0/off nor 1-65535: `{}'", value));
    out = *v;
    return {};
}

Result<void> parse_allowed_ips(std::string_view value, std::vector<model::AllowedIp>& out,
                               std::vector<std::string>* warnings) {
    if (value.empty())
        return {};
    std::vector<model::AllowedIp> parsed;
    for (;;) {
        auto comma = value.find(',');
        std::string_view entry = value.substr(0, comma);
        auto slash = entry.find('/');
        std::string_view ip = entry.substr(0, slash);
        auto addr = parse_ip(ip);
        if (!addr)
            return invalid(fmt::format("Unable to parse IP address: `{}'", ip));
        unsigned cidr = addr->max_prefix();
        if (slash != std::string_view::npos) {
            std::string_view mask = entry.substr(slash + 1);
            auto c = parse_decimal<unsigned>(mask);
            if (!c || *c > addr->max_prefix())
                return invalid(fmt::format("AllowedIP is not in the correct format: `{}'", entry));
            cidr = *c;
            if (warnings && addr->masked(cidr) != *addr)
                warnings->push_back(
                    fmt::format("Warning: AllowedIP has nonzero host part: {}/{}", ip, mask));
        }
        parsed.push_back(model::AllowedIp{IpPrefix{*addr, std::uint8_t(cidr)}, false});
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    out.insert(out.end(), parsed.begin(), parsed.end());
    return {};
}

Result<std::pair<std::string, std::string>> split_endpoint(std::string_view value) {
    if (value.empty())
        return invalid("Unable to parse empty endpoint");
    if (value.front() == '[') {
        auto close = value.find(']');
        if (close == std::string_view::npos)
            return invalid(fmt::format("Unable to find matching brace of endpoint: `{}'", value));
        if (close + 2 >= value.size() || value[close + 1] != ':')
            return invalid(fmt::format("Unable to find port of endpoint: `{}'", value));
        return std::pair{std::string(value.substr(1, close - 1)),
                         std::string(value.substr(close + 2))};
    }
    auto colon = value.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == value.size())
        return invalid(fmt::format("Unable to find port of endpoint: `{}'", value));
    return std::pair{std::string(value.substr(0, colon)), std::string(value.substr(colon + 1))};
}

Result<void> parse_endpoint(std::string_view value, model::Peer& peer) {
    auto parts = split_endpoint(value);
    if (!parts)
        return parts.error();
    // A numeric host resolves without any lookup; names wait for resolve_endpoints().
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* res = nullptr;
    if (getaddrinfo(parts->first.c_str(), parts->second.c_str(), &hints, &res) == 0) {
        std::unique_ptr<addrinfo, AddrinfoFree> owned(res);
        if ((res->ai_family == AF_INET && res->ai_addrlen == sizeof(sockaddr_in)) ||
            (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(sockaddr_in6))) {
            peer.endpoint = Endpoint::from_sockaddr(res->ai_addr, res->ai_addrlen);
            peer.endpoint_host.reset();
            return {};
        }
        return invalid(fmt::format("Neither IPv4 nor IPv6 address found: `{}'", value));
    }
    peer.endpoint.reset();
    peer.endpoint_host = std::string(value);
    return {};
}

} // namespace wgx::config
