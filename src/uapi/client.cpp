#include "uapi/client.hpp"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include <netdb.h>

#include <fmt/format.h>

#include "base/decimal.hpp"
#include "crypto/x25519.hpp"

namespace wgx::uapi {

namespace {

/// A signed decimal errno value ("0", "-22"); wireguard-go sends negative numbers.
std::optional<long long> errno_number(std::string_view s) {
    bool neg = !s.empty() && s.front() == '-';
    auto v = parse_decimal<long long>(neg ? s.substr(1) : s);
    if (!v || *v > 0x7fffffff)
        return std::nullopt;
    return neg ? -*v : *v;
}

Error proto() {
    return make_error("Protocol error", EPROTO);
}

/// endpoint=host:port / [host]:port, resolved numerically only, as wg does.
std::optional<Endpoint> parse_reply_endpoint(std::string_view v) {
    std::string host, port;
    if (v.empty())
        return std::nullopt;
    if (v.front() == '[') {
        auto close = v.find(']');
        if (close == std::string_view::npos || close + 2 >= v.size() || v[close + 1] != ':')
            return std::nullopt;
        host = v.substr(1, close - 1);
        port = v.substr(close + 2);
    } else {
        auto colon = v.rfind(':');
        if (colon == std::string_view::npos || colon + 1 == v.size())
            return std::nullopt;
        host = v.substr(0, colon);
        port = v.substr(colon + 1);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0)
        return Endpoint{}; // invalid marker: wg answers ENETUNREACH
    Endpoint ep = Endpoint::from_sockaddr(res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return ep;
}

/// allowed_ip=addr/cidr: the cidr is required in replies.
std::optional<IpPrefix> parse_reply_prefix(std::string_view v) {
    auto slash = v.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    auto cidr = parse_decimal<unsigned>(v.substr(slash + 1));
    auto addr = IpAddress::parse(v.substr(0, slash));
    if (!cidr || !addr || *cidr > addr->max_prefix())
        return std::nullopt;
    return IpPrefix{*addr, std::uint8_t(*cidr)};
}

/// sec + nsec since the epoch, saturating where the clock's nanosecond count ends (year 2262).
std::chrono::system_clock::time_point handshake_time(std::uint64_t sec, std::uint64_t nsec) {
    using std::chrono::system_clock;
    constexpr std::uint64_t max_ns = std::uint64_t(INT64_MAX);
    std::uint64_t ns = sec > max_ns / 1000000000u ? max_ns : sec * 1000000000u;
    ns = nsec > max_ns - ns ? max_ns : ns + nsec;
    return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
        std::chrono::nanoseconds(std::int64_t(ns))));
}

} // namespace

std::string encode_get_request() {
    return "get=1\n\n";
}

SecretString encode_set_request(const model::Device& update) {
    SecretString out = "set=1\n";
    if (update.private_key) {
        out += "private_key=";
        out += update.private_key->secret_hex();
        out += "\n";
    }
    if (update.listen_port)
        out += fmt::format("listen_port={}\n", *update.listen_port);
    if (update.fwmark)
        out += fmt::format("fwmark={}\n", *update.fwmark);
    if (update.replace_peers)
        out += "replace_peers=true\n";
    for (const auto& peer : update.peers) {
        out += "public_key=" + peer.public_key.to_hex() + "\n";
        if (peer.remove) {
            out += "remove=true\n";
            continue;
        }
        if (peer.update_only)
            out += "update_only=true\n";
        if (peer.preshared_key) {
            out += "preshared_key=";
            out += peer.preshared_key->secret_hex();
            out += "\n";
        }
        if (peer.endpoint && peer.endpoint->valid())
            out += "endpoint=" + peer.endpoint->to_string() + "\n";
        if (peer.persistent_keepalive)
            out += fmt::format("persistent_keepalive_interval={}\n", *peer.persistent_keepalive);
        if (peer.replace_allowed_ips)
            out += "replace_allowed_ips=true\n";
        for (const auto& aip : peer.allowed_ips)
            out += fmt::format("allowed_ip={}{}\n", aip.remove ? "-" : "", aip.prefix.to_string());
    }
    out += "\n";
    return out;
}

bool reply_complete(std::string_view buffer) {
    return buffer.substr(0, 1) == "\n" || buffer.find("\n\n") != std::string_view::npos;
}

Result<model::Device> parse_get_reply(std::string_view reply, const std::string& name) {
    GetReplyParser parser(name);
    parser.feed(reply);
    return parser.finish();
}

GetReplyParser::GetReplyParser(std::string name) {
    dev_.name = std::move(name);
}

bool GetReplyParser::feed(std::string_view bytes) {
    while (!done_ && !bytes.empty()) {
        auto nl = bytes.find('\n');
        if (nl == std::string_view::npos) {
            partial_.append(bytes);
            break;
        }
        std::string_view line = bytes.substr(0, nl);
        bytes.remove_prefix(nl + 1);
        if (partial_.empty()) {
            done_ = !on_line(line);
        } else {
            partial_.append(line);
            done_ = !on_line(partial_);
            partial_.wipe_and_release();
        }
    }
    return done_;
}

bool GetReplyParser::on_line(std::string_view line) {
    if (line.empty())
        return false;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
        error_ = proto();
        return false;
    }
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    model::Peer* peer = peer_;
    bool ok = true;
    if (!peer && key == "private_key") {
        auto k = model::Key::from_hex(value);
        if ((ok = k.has_value())) {
            dev_.private_key = *k;
            dev_.public_key = crypto::public_key_of(*k);
        }
    } else if (!peer && key == "listen_port") {
        auto n = parse_decimal<std::uint16_t>(value);
        if ((ok = n.has_value()))
            dev_.listen_port = *n;
    } else if (!peer && key == "fwmark") {
        auto n = parse_decimal<std::uint32_t>(value);
        if ((ok = n.has_value()))
            dev_.fwmark = *n;
    } else if (key == "public_key") {
        auto k = model::Key::from_hex(value);
        if ((ok = k.has_value())) {
            dev_.peers.emplace_back();
            handshakes_.emplace_back(0, 0);
            peer_ = &dev_.peers.back();
            peer_->public_key = *k;
        }
    } else if (peer && key == "preshared_key") {
        auto k = model::Key::from_hex(value);
        if ((ok = k.has_value()) && !k->is_zero())
            peer->preshared_key = *k;
    } else if (peer && key == "endpoint") {
        auto ep = parse_reply_endpoint(value);
        if ((ok = ep.has_value())) {
            if (!ep->valid()) {
                error_ = make_error("Network is unreachable", ENETUNREACH);
                return false;
            }
            peer->endpoint = *ep;
        }
    } else if (peer && key == "persistent_keepalive_interval") {
        auto n = parse_decimal<std::uint16_t>(value);
        if ((ok = n.has_value()))
            peer->persistent_keepalive = *n;
    } else if (peer && key == "allowed_ip") {
        auto p = parse_reply_prefix(value);
        if ((ok = p.has_value()))
            peer->allowed_ips.push_back(model::AllowedIp{*p, false});
    } else if (peer && (key == "last_handshake_time_sec" || key == "last_handshake_time_nsec")) {
        auto n = parse_decimal<std::uint64_t>(value);
        if ((ok = n.has_value() && *n <= 0x7fffffffffffffffULL)) {
            auto& [sec, nsec] = handshakes_.back();
            (key == "last_handshake_time_sec" ? sec : nsec) = *n;
        }
    } else if (peer && key == "rx_bytes") {
        auto n = parse_decimal<std::uint64_t>(value);
        if ((ok = n.has_value()))
            peer->rx_bytes = *n;
    } else if (peer && key == "tx_bytes") {
        auto n = parse_decimal<std::uint64_t>(value);
        if ((ok = n.has_value()))
            peer->tx_bytes = *n;
    } else if (peer && key == "protocol_version") {
        auto n = parse_decimal<unsigned>(value);
        if ((ok = n.has_value()))
            peer->protocol_version = *n;
    } else if (key == "errno") {
        errno_ = errno_number(value);
        ok = errno_.has_value();
    }
    if (!ok)
        error_ = proto();
    return ok;
}

Result<model::Device> GetReplyParser::finish() {
    partial_.wipe_and_release();
    if (error_)
        return *error_;
    if (!done_ || !errno_)
        return proto(); // ended without the empty line, or without errno=
    if (*errno_ != 0) {
        int code = int(std::llabs(*errno_));
        return make_error(std::strerror(code), code);
    }
    for (std::size_t i = 0; i < dev_.peers.size(); ++i)
        dev_.peers[i].last_handshake = handshake_time(handshakes_[i].first, handshakes_[i].second);
    return std::move(dev_);
}

Result<void> parse_set_reply(std::string_view reply) {
    constexpr std::string_view prefix = "errno=";
    if (reply.substr(0, prefix.size()) != prefix)
        return proto();
    reply.remove_prefix(prefix.size());
    auto end = reply.find('\n');
    if (end == std::string_view::npos || reply.substr(end, 2) != "\n\n")
        return proto();
    auto n = errno_number(reply.substr(0, end));
    if (!n)
        return proto();
    if (*n != 0) {
        int code = int(std::llabs(*n));
        return make_error(std::strerror(code), code);
    }
    return {};
}

} // namespace wgx::uapi
