#include "uapi/server.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstdint>
#include <net/if.h>
#include <span>

#include <fmt/format.h>

#include "base/decimal.hpp"

namespace wgx::uapi {

namespace {

/// Go's strconv.Atoi as netip.ParsePrefix (of the reference's Go) uses it for the bits: an
/// optional sign, then digits.
std::optional<long> parse_int(std::string_view s) {
    bool neg = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    auto v = parse_decimal<unsigned long>(s);
    if (!v || *v > 1000000)
        return std::nullopt;
    return neg ? -long(*v) : long(*v);
}

/// netip.ParseAddr without zones: IPv4 dotted quad (no leading zeros) or IPv6.
std::optional<IpAddress> parse_addr(std::string_view s) {
    if (s.find('%') != std::string_view::npos)
        return std::nullopt;
    return IpAddress::parse(s);
}

/// netip.ParsePrefix: "addr/bits", bits required.
std::optional<IpPrefix> parse_prefix(std::string_view s) {
    auto slash = s.rfind('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    auto addr = parse_addr(s.substr(0, slash));
    auto bits = parse_int(s.substr(slash + 1));
    if (!addr || !bits || *bits < 0 || *bits > long(addr->max_prefix()))
        return std::nullopt;
    return IpPrefix{*addr, std::uint8_t(*bits)};
}

/// netip.ParseAddrPort: "1.2.3.4:51820" or "[v6%zone]:51820"; IPv6 must be bracketed and
/// IPv4 must not be. A zone is an interface name or index (unknown names are rejected).
std::optional<Endpoint> parse_endpoint(std::string_view s) {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    std::string_view host = s.substr(0, colon);
    auto port = parse_decimal<std::uint16_t>(s.substr(colon + 1));
    if (!port)
        return std::nullopt;
    bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed)
        host = host.substr(1, host.size() - 2);
    std::string_view zone;
    if (auto pct = host.find('%'); pct != std::string_view::npos) {
        zone = host.substr(pct + 1);
        host = host.substr(0, pct);
        if (zone.empty())
            return std::nullopt;
    }
    auto addr = IpAddress::parse(host);
    if (!addr || addr->is_v6() != bracketed || (!zone.empty() && !addr->is_v6()))
        return std::nullopt;
    Endpoint ep = Endpoint::from(*addr, *port);
    if (!zone.empty()) {
        std::string z(zone);
        unsigned index = if_nametoindex(z.c_str());
        if (index == 0) {
            auto n = parse_decimal<unsigned>(zone);
            if (!n)
                return std::nullopt;
            index = *n;
        }
        reinterpret_cast<sockaddr_in6*>(&ep.storage)->sin6_scope_id = index;
    }
    return ep;
}

} // namespace

void RequestParser::emit_error(int code, std::string message, bool skip_rest) {
    ServerEvent e;
    e.kind = ServerEvent::Kind::error;
    e.code = code;
    e.message = std::move(message);
    events_.push_back(std::move(e));
    update_ = model::Device{};
    state_ = skip_rest ? State::skip_set : State::op;
}

void RequestParser::feed(std::string_view bytes) {
    if (closed_)
        return;
    pending_.append(bytes);
    std::size_t pos = 0;
    while (!closed_ && pos < pending_.size()) {
        if (state_ == State::get_terminator) {
            // The reference reads exactly one byte after "get=1\n".
            char c = pending_[pos++];
            state_ = State::op;
            if (c == '\n') {
                ServerEvent e;
                e.kind =
                    counters_request_ ? ServerEvent::Kind::wgx_counters : ServerEvent::Kind::get;
                counters_request_ = false;
                events_.push_back(std::move(e));
            } else {
                emit_error(kErrInvalid, "trailing character in UAPI get", false);
            }
            continue;
        }
        auto nl = pending_.find('\n', pos);
        if (nl == std::string::npos)
            break;
        // A view, not a copy: the line may hold a key, and pending_ is the one place it stays.
        std::string_view line = std::string_view(pending_).substr(pos, nl - pos);
        pos = nl + 1;
        if (line.size() > kMaxLineLength) {
            if (state_ == State::op)
                on_line(line); // not an operation: closes
            else
                emit_error(kErrIo, "failed to read input: line too long", true);
            continue;
        }
        on_line(line);
    }
    // Consumed lines leave the front; overwrite the bytes the shift leaves behind the new end.
    pending_.erase(0, pos);
    pending_.append(pos, '\0');
    pending_.resize(pending_.size() - pos);
    if (!closed_ && pending_.size() > kMaxLineLength) {
        pending_.wipe_and_release();
        if (state_ == State::op) {
            on_line("(overlong)");
        } else if (state_ == State::set_body) {
            emit_error(kErrIo, "failed to read input: line too long", true);
        }
    }
}

void RequestParser::feed_eof() {
    if (closed_)
        return;
    if (state_ == State::set_body) {
        // The reference's scanner ends at EOF and applies what it read.
        if (!pending_.empty()) {
            std::string_view last = pending_;
            if (last.back() == '\r')
                last.remove_suffix(1);
            on_set_line(last);
        }
        if (state_ == State::set_body) {
            ServerEvent e;
            e.kind = ServerEvent::Kind::set;
            e.update = std::move(update_);
            events_.push_back(std::move(e));
        }
    }
    pending_.wipe_and_release();
    update_ = model::Device{};
    state_ = State::op;
    closed_ = true;
}

std::optional<ServerEvent> RequestParser::next() {
    if (events_.empty())
        return std::nullopt;
    ServerEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

void RequestParser::on_line(std::string_view line) {
    switch (state_) {
    case State::op:
        if (line == "get=1" || line == "wgx_counters=1") {
            state_ = State::get_terminator;
            counters_request_ = line != "get=1";
        } else if (line == "set=1") {
            state_ = State::set_body;
            update_ = model::Device{};
            device_section_ = true;
            peer_ignored_ = false;
        } else {
            ServerEvent e;
            e.kind = ServerEvent::Kind::close;
            e.message = "invalid UAPI operation";
            events_.push_back(std::move(e));
            closed_ = true;
        }
        break;
    case State::set_body:
        if (!line.empty() && line.back() == '\r') // bufio.ScanLines drops a trailing CR
            line.remove_suffix(1);
        if (line.empty()) {
            ServerEvent e;
            e.kind = ServerEvent::Kind::set;
            e.update = std::move(update_);
            update_ = model::Device{};
            events_.push_back(std::move(e));
            state_ = State::op;
        } else {
            on_set_line(line);
        }
        break;
    case State::skip_set:
        if (line.empty() || line == "\r")
            state_ = State::op;
        break;
    case State::get_terminator:
        break; // handled byte-wise in feed()
    }
}

void RequestParser::on_set_line(std::string_view line) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return emit_error(kErrProtocol, "failed to parse line", true);
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    auto invalid = [&](std::string what) { emit_error(kErrInvalid, std::move(what), true); };

    if (key == "public_key") {
        auto k = model::Key::from_hex(value);
        if (!k)
            return invalid("failed to get peer by public key");
        device_section_ = false;
        peer_ignored_ = false;
        model::Peer peer;
        peer.public_key = *k;
        update_.peers.push_back(std::move(peer));
        return;
    }
    if (device_section_) {
        if (key == "private_key") {
            auto k = model::Key::from_hex(value);
            if (!k)
                return invalid("failed to set private_key");
            update_.private_key = *k;
        } else if (key == "listen_port") {
            auto n = parse_decimal<std::uint16_t>(value);
            if (!n)
                return invalid("failed to parse listen_port");
            update_.listen_port = *n;
        } else if (key == "fwmark") {
            auto n = parse_decimal<std::uint32_t>(value);
            if (!n)
                return invalid("invalid fwmark");
            update_.fwmark = *n;
        } else if (key == "replace_peers") {
            if (value != "true")
                return invalid("failed to set replace_peers, invalid value");
            // Peers named before this line in the same request do not exist (device lines
            // come first), so replacing means: drop everything the device has.
            update_.replace_peers = true;
        } else {
            return invalid(fmt::format("invalid UAPI device key: {}", key));
        }
        return;
    }

    model::Peer& peer = update_.peers.back();
    // After remove=true the reference configures a throw-away peer: values are still
    // checked but change nothing.
    const bool record = !peer_ignored_;
    if (key == "update_only") {
        if (value != "true")
            return invalid("failed to set update only, invalid value");
        if (record)
            peer.update_only = true;
    } else if (key == "remove") {
        if (value != "true")
            return invalid("failed to set remove, invalid value");
        if (record) {
            peer.remove = true;
            peer.preshared_key.reset();
            peer.endpoint.reset();
            peer.persistent_keepalive.reset();
            peer.allowed_ips.clear();
            peer.replace_allowed_ips = false;
        }
        peer_ignored_ = true;
    } else if (key == "preshared_key") {
        auto k = model::Key::from_hex(value);
        if (!k)
            return invalid("failed to set preshared key");
        if (record)
            peer.preshared_key = *k;
    } else if (key == "endpoint") {
        auto ep = parse_endpoint(value);
        if (!ep)
            return invalid("failed to set endpoint");
        if (record)
            peer.endpoint = *ep;
    } else if (key == "persistent_keepalive_interval") {
        auto n = parse_decimal<std::uint16_t>(value);
        if (!n)
            return invalid("failed to set persistent keepalive interval");
        if (record)
            peer.persistent_keepalive = *n;
    } else if (key == "replace_allowed_ips") {
        if (value != "true")
            return invalid("failed to replace allowedips, invalid value");
        if (record) {
            peer.replace_allowed_ips = true;
            peer.allowed_ips.clear(); // added before the replace: removed by it
        }
    } else if (key == "allowed_ip") {
        bool remove = !value.empty() && value.front() == '-';
        auto p = parse_prefix(remove ? value.substr(1) : value);
        if (!p)
            return invalid("failed to set allowed ip");
        if (record)
            peer.allowed_ips.push_back(model::AllowedIp{*p, remove});
    } else if (key == "protocol_version") {
        if (value != "1")
            return invalid("invalid protocol version");
        if (record)
            peer.protocol_version = 1;
    } else {
        return invalid(fmt::format("invalid UAPI peer key: {}", key));
    }
}

std::string encode_errno(int code) {
    return code ? fmt::format("errno=-{}\n\n", code) : "errno=0\n\n";
}

namespace {

/// The reply is built in place: with 10k peers, a temporary string per line would be most of
/// the work. These append one `key=value` line each.
void append_number_line(SecretString& out, std::string_view key, std::uint64_t value) {
    char digits[20];
    char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out += key;
    out.append(digits, end);
    out += '\n';
}

/// Lowercase hex straight into the reply (a preshared key never passes through a temporary).
void append_hex_line(SecretString& out, std::string_view key,
                     std::span<const std::uint8_t, crypto::KEY_LEN> bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    // Made in a stack buffer and appended at once (a character at a time was a tenth of a
    // 10k-peer get); the buffer is wiped, as it may hold the private key.
    char line[crypto::KEY_LEN * 2 + 1];
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        line[2 * i] = hex[bytes[i] >> 4];
        line[2 * i + 1] = hex[bytes[i] & 15];
    }
    line[sizeof line - 1] = '\n';
    out += key;
    out.append(line, sizeof line);
    wipe(line, sizeof line);
}

} // namespace

bool GetReplyEncoder::append_some(SecretString& out, std::size_t budget) {
    if (done_)
        return true;
    if (!started_) {
        started_ = true;
        // About 400 bytes per peer with one allowed IP: one allocation for the usual piece.
        out.reserve(out.size() + std::min(budget, 256 + state_.peers.size() * 448));
        if (state_.private_key && !state_.private_key->is_zero())
            append_hex_line(out, "private_key=", state_.private_key->view());
        if (state_.listen_port && *state_.listen_port)
            append_number_line(out, "listen_port=", *state_.listen_port);
        if (state_.fwmark && *state_.fwmark)
            append_number_line(out, "fwmark=", *state_.fwmark);
    }
    const model::Key zero_key{};
    for (; next_peer_ < state_.peers.size() && out.size() < budget; ++next_peer_) {
        const model::Peer& peer = state_.peers[next_peer_];
        append_hex_line(out, "public_key=", peer.public_key.view());
        append_hex_line(
            out, "preshared_key=", (peer.preshared_key ? *peer.preshared_key : zero_key).view());
        append_number_line(out, "protocol_version=", peer.protocol_version.value_or(1));
        if (peer.endpoint && peer.endpoint->valid()) {
            out += "endpoint=";
            out += peer.endpoint->to_string();
            out += '\n';
        }
        auto ns = peer.last_handshake ? std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            peer.last_handshake->time_since_epoch())
                                            .count()
                                      : 0;
        if (ns < 0)
            ns = 0;
        append_number_line(out, "last_handshake_time_sec=", std::uint64_t(ns / 1000000000));
        append_number_line(out, "last_handshake_time_nsec=", std::uint64_t(ns % 1000000000));
        append_number_line(out, "tx_bytes=", peer.tx_bytes.value_or(0));
        append_number_line(out, "rx_bytes=", peer.rx_bytes.value_or(0));
        append_number_line(out,
                           "persistent_keepalive_interval=", peer.persistent_keepalive.value_or(0));
        for (const auto& aip : peer.allowed_ips) {
            out += "allowed_ip=";
            out += aip.prefix.to_string();
            out += '\n';
        }
    }
    if (next_peer_ < state_.peers.size())
        return false;
    out += encode_errno(0);
    done_ = true;
    // The snapshot holds the keys: give its memory back now, not when the connection ends.
    state_ = model::Device{};
    return true;
}

SecretString encode_get_reply(const model::Device& state) {
    SecretString out;
    GetReplyEncoder(state).append_some(out, SIZE_MAX);
    return out;
}

} // namespace wgx::uapi
