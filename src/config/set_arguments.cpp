#include "config/set_arguments.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netdb.h>
#include <strings.h>

#include "crypto/key.hpp"

namespace wgx::config {

namespace {

using model::Device;
using model::Key;
using model::Peer;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_space(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
std::string quoted(const std::string& v) {
    return "`" + v + "'";
}

std::string strip_spaces(const std::string& in) {
    std::string out;
    for (char c : in)
        if (!is_space(static_cast<unsigned char>(c)))
            out += c;
    return out;
}

Result<Key> parse_key(const std::string& value) {
    auto k = Key::from_base64(value);
    if (!k)
        return make_error("Key is not the correct length or format: " + quoted(value), EINVAL);
    return *k;
}

/// Checks the "host:port" / "[v6]:port" shape the way wg does before resolving.
Result<void> check_endpoint_shape(const std::string& value) {
    if (value.empty())
        return make_error("Unable to parse empty endpoint", EINVAL);
    if (value[0] == '[') {
        auto close = value.find(']');
        if (close == std::string::npos)
            return make_error("Unable to find matching brace of endpoint: " + quoted(value),
                              EINVAL);
        if (close + 1 >= value.size() || value[close + 1] != ':' || close + 2 >= value.size())
            return make_error("Unable to find port of endpoint: " + quoted(value), EINVAL);
        return {};
    }
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon + 1 >= value.size())
        return make_error("Unable to find port of endpoint: " + quoted(value), EINVAL);
    return {};
}

Result<Endpoint> parse_endpoint(const std::string& value, const SetArgumentOptions& options) {
    if (auto shape = check_endpoint_shape(value); !shape)
        return shape.error();
    auto resolve = options.resolve_options ? options.resolve_options() : default_resolve_options();
    if (!resolve)
        return resolve.error();
    Device one;
    Peer p;
    p.endpoint_host = value;
    one.peers.push_back(std::move(p));
    if (auto r = resolve_endpoints(one, *resolve); !r)
        return r.error();
    if (!one.peers[0].endpoint)
        return make_error("Neither IPv4 nor IPv6 address found: " + quoted(value), EINVAL);
    return *one.peers[0].endpoint;
}

/// wg's netmask check: a set bit after the prefix is worth a warning, not an error.
bool host_part_is_zero(const IpPrefix& p) {
    return p.address.masked(p.cidr) == p.address;
}

struct ArgCursor {
    std::span<const std::string> rest;
    bool has(std::size_t n) const { return rest.size() >= n; }
    const std::string& at(std::size_t i) const { return rest[i]; }
    void skip(std::size_t n) { rest = rest.subspan(n); }
};

} // namespace

Result<std::uint16_t> parse_listen_port(const std::string& value) {
    if (value.empty())
        return make_error("Unable to parse empty port", EINVAL);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    int ret = ::getaddrinfo(nullptr, value.c_str(), &hints, &res);
    if (ret) {
        std::string why = ret == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(ret);
        return make_error(why + ": " + quoted(value), EINVAL);
    }
    Result<std::uint16_t> out =
        make_error("Neither IPv4 nor IPv6 address found: " + quoted(value), EINVAL);
    if (res->ai_family == AF_INET && res->ai_addrlen == sizeof(sockaddr_in))
        out = ntohs(reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_port);
    else if (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(sockaddr_in6))
        out = ntohs(reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_port);
    ::freeaddrinfo(res);
    return out;
}

Result<std::uint32_t> parse_fwmark(const std::string& value) {
    if (::strcasecmp(value.c_str(), "off") == 0)
        return std::uint32_t{0};
    auto fail = make_error("Fwmark is neither 0/off nor 0-0xffffffff: " + quoted(value), EINVAL);
    if (value.empty() || !is_digit(value[0]))
        return fail;
    int base = value.size() > 2 && value[0] == '0' && value[1] == 'x' ? 16 : 10;
    char* end = nullptr;
    unsigned long v = std::strtoul(value.c_str(), &end, base);
    if (*end || v > UINT32_MAX)
        return fail;
    return static_cast<std::uint32_t>(v);
}

Result<std::uint16_t> parse_persistent_keepalive(const std::string& value) {
    if (::strcasecmp(value.c_str(), "off") == 0)
        return std::uint16_t{0};
    auto fail = make_error(
        "Persistent keepalive interval is neither 0/off nor 1-65535: " + quoted(value), EINVAL);
    if (value.empty() || !is_digit(value[0]))
        return fail;
    char* end = nullptr;
    unsigned long v = std::strtoul(value.c_str(), &end, 10);
    if (*end || v > 65535)
        return fail;
    return static_cast<std::uint16_t>(v);
}

Result<void> parse_allowed_ips(Peer& peer, const std::string& value,
                               const std::function<void(const std::string&)>& warn) {
    peer.replace_allowed_ips = true;
    if (value.empty())
        return {};
    std::vector<model::AllowedIp> parsed;
    bool incremental = false;
    std::size_t start = 0;
    for (;;) {
        std::size_t comma = value.find(',', start);
        std::string entry =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        bool remove = false;
        if (!entry.empty() && (entry[0] == '+' || entry[0] == '-')) {
            remove = entry[0] == '-';
            incremental = true;
            entry.erase(0, 1);
        }
        auto slash = entry.find('/');
        std::string ip = entry.substr(0, slash);
        // wg picks the family by the presence of ':' and then parses with inet_pton.
        std::uint8_t raw[16];
        std::optional<IpAddress> addr;
        if (ip.find(':') != std::string::npos) {
            if (::inet_pton(AF_INET6, ip.c_str(), raw) == 1)
                addr = IpAddress::v6(raw);
        } else if (::inet_pton(AF_INET, ip.c_str(), raw) == 1) {
            addr = IpAddress::v4(raw);
        }
        if (!addr)
            return make_error("Unable to parse IP address: " + quoted(ip), EINVAL);
        unsigned long cidr = addr->max_prefix();
        if (slash != std::string::npos) {
            std::string mask = entry.substr(slash + 1);
            char* end = nullptr;
            if (mask.empty() || !is_digit(mask[0]) ||
                (cidr = std::strtoul(mask.c_str(), &end, 10), *end) || cidr > addr->max_prefix())
                return make_error("AllowedIP is not in the correct format: " + quoted(entry),
                                  EINVAL);
            IpPrefix prefix{*addr, static_cast<std::uint8_t>(cidr)};
            if (!host_part_is_zero(prefix) && warn)
                warn("Warning: AllowedIP has nonzero host part: " + ip + "/" + mask);
        }
        parsed.push_back(
            model::AllowedIp{IpPrefix{*addr, static_cast<std::uint8_t>(cidr)}, remove});
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    if (incremental)
        peer.replace_allowed_ips = false;
    for (auto& a : parsed)
        peer.allowed_ips.push_back(a);
    return {};
}

Result<Key> read_key_file(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "r");
    if (!f)
        return make_error(std::string("fopen: ") + std::strerror(errno), errno);
    char dst[crypto::KEY_LEN_BASE64] = {};
    Result<Key> out = make_error("Invalid length key in key file", EINVAL);
    if (std::fread(dst, crypto::KEY_LEN_BASE64, 1, f) != 1) {
        // Nothing at all: /dev/null or an empty file, meaning "remove the key".
        if (!std::ferror(f) && std::feof(f) && std::ftell(f) == 0)
            out = Key{};
    } else {
        int c;
        bool trailing = false;
        while ((c = std::getc(f)) != EOF) {
            if (!is_space(c)) {
                out = make_error(std::string("Found trailing character in key file: `") +
                                     static_cast<char>(c) + "'",
                                 EINVAL);
                trailing = true;
                break;
            }
        }
        if (!trailing && std::ferror(f) && errno)
            out = make_error(std::string("getc: ") + std::strerror(errno), errno);
        else if (!trailing)
            out = parse_key(std::string(dst, strnlen(dst, sizeof dst)));
    }
    crypto::secure_zero(dst, sizeof dst);
    std::fclose(f);
    return out;
}

Result<Device> parse_set_arguments(std::span<const std::string> args,
                                   const SetArgumentOptions& options) {
    auto warn = options.warn ? options.warn : [](const std::string& m) {
        std::fprintf(stderr, "%s\n", m.c_str());
    };
    Device dev;
    Peer* peer = nullptr;
    ArgCursor a{args};
    while (a.has(1)) {
        const std::string& word = a.at(0);
        if (word == "listen-port" && a.has(2) && !peer) {
            auto v = parse_listen_port(a.at(1));
            if (!v)
                return v.error();
            dev.listen_port = *v;
            a.skip(2);
        } else if (word == "fwmark" && a.has(2) && !peer) {
            auto v = parse_fwmark(a.at(1));
            if (!v)
                return v.error();
            dev.fwmark = *v;
            a.skip(2);
        } else if (word == "private-key" && a.has(2) && !peer) {
            auto v = read_key_file(a.at(1));
            if (!v)
                return v.error();
            dev.private_key = *v;
            a.skip(2);
        } else if (word == "peer" && a.has(2)) {
            auto k = parse_key(a.at(1));
            if (!k)
                return k.error();
            dev.peers.emplace_back();
            peer = &dev.peers.back();
            peer->public_key = *k;
            a.skip(2);
        } else if (word == "remove" && peer) {
            peer->remove = true;
            a.skip(1);
        } else if (word == "endpoint" && a.has(2) && peer) {
            auto v = parse_endpoint(a.at(1), options);
            if (!v)
                return v.error();
            peer->endpoint = *v;
            a.skip(2);
        } else if (word == "allowed-ips" && a.has(2) && peer) {
            if (auto r = parse_allowed_ips(*peer, strip_spaces(a.at(1)), warn); !r)
                return r.error();
            a.skip(2);
        } else if (word == "persistent-keepalive" && a.has(2) && peer) {
            auto v = parse_persistent_keepalive(a.at(1));
            if (!v)
                return v.error();
            peer->persistent_keepalive = *v;
            a.skip(2);
        } else if (word == "preshared-key" && a.has(2) && peer) {
            auto v = read_key_file(a.at(1));
            if (!v)
                return v.error();
            peer->preshared_key = *v;
            a.skip(2);
        } else {
            return make_error("Invalid argument: " + word, EINVAL);
        }
    }
    return dev;
}

} // namespace wgx::config
