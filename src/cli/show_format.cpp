#include "cli/show_format.hpp"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <netdb.h>
#include <vector>

#include "cli/terminal.hpp"

namespace wgx::cli {

namespace {

using model::Device;
using model::Peer;

std::string str(std::string_view a) {
    return std::string(a);
}

/// Appends each piece to `out`: the output is built in wiped memory, and the pieces that are
/// keys come as SecretStrings, so no plain std::string ever holds a private or preshared key.
void append(SecretString& out, std::initializer_list<std::string_view> pieces) {
    for (auto piece : pieces)
        out.append(piece);
}

SecretString key_text(const std::optional<model::Key>& k) {
    return k ? k->secret_base64() : SecretString("(none)");
}

/// wg prints a preshared key only when it is non-zero.
bool has_psk(const Peer& p) {
    return p.preshared_key && !p.preshared_key->is_zero();
}

SecretString psk_text(const Peer& p) {
    return has_psk(p) ? p.preshared_key->secret_base64() : SecretString("(none)");
}

struct HandshakeTime {
    long long sec = 0;
    long long nsec = 0;
    bool zero() const { return sec == 0 && nsec == 0; }
};

HandshakeTime handshake_of(const Peer& p) {
    if (!p.last_handshake)
        return {};
    auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(p.last_handshake->time_since_epoch())
            .count();
    long long sec = ns / 1000000000LL, rem = ns % 1000000000LL;
    if (rem < 0) {
        --sec;
        rem += 1000000000LL;
    }
    return {sec, rem};
}

/// wg's peer order for the pretty form: most recent handshake first, never-handshaken last;
/// ties keep the device's order (glibc's qsort is a stable merge sort).
bool newer_handshake_first(const Peer* a, const Peer* b) {
    HandshakeTime ta = handshake_of(*a), tb = handshake_of(*b);
    if (ta.zero() != tb.zero())
        return !ta.zero();
    if (ta.sec != tb.sec)
        return ta.sec > tb.sec;
    return ta.nsec > tb.nsec;
}

std::string allowed_ip_text(const model::AllowedIp& a) {
    return a.prefix.address.to_string() + "/" + std::to_string(a.prefix.cidr);
}

std::string endpoint_or_none(const Peer& p) {
    return p.endpoint && p.endpoint->valid() ? format_endpoint(*p.endpoint) : "(none)";
}

std::string fwmark_text(const Device& d) {
    std::uint32_t mark = d.fwmark.value_or(0);
    if (!mark)
        return "off";
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", mark);
    return buf;
}

std::string ago(long long then, std::time_t now) {
    if (now == then)
        return "Now";
    if (now < then)
        return "(" + str(TERM_RED) + "System clock wound backward; connection problems may ensue." +
               str(TERM_RESET) + ")";
    return format_duration(static_cast<unsigned long long>(now - then)) + " ago";
}

SecretString masked(const model::Key& k, bool hide) {
    return hide ? SecretString("(hidden)") : k.secret_base64();
}

std::string label(std::string_view name) {
    return "  " + str(TERM_BOLD) + str(name) + str(TERM_RESET) + ": ";
}

/// The host part of the peer's Endpoint as its config file named it ("vpn.example.test" of
/// "vpn.example.test:51820"); empty when it was an address.
std::string endpoint_host(const std::vector<config::EndpointName>& hosts, const model::Key& key) {
    for (const auto& h : hosts) {
        if (!(h.public_key == key))
            continue;
        std::string_view e = h.endpoint;
        e = e.substr(0, e.rfind(':'));
        if (e.size() >= 2 && e.front() == '[' && e.back() == ']')
            e = e.substr(1, e.size() - 2);
        return std::string(e);
    }
    return {};
}

/// Appends "  <bold>NAME<reset>: " to `chunk`.
void append_label(std::string& chunk, std::string_view name) {
    chunk.append("  ").append(TERM_BOLD).append(name).append(TERM_RESET).append(": ");
}

/// One peer, in the chunks wg prints it (each filtered alone). `chunk` is scratch space reused
/// across peers: a 10k-peer show made ~20 temporary strings per peer before.
void pretty_peer(TerminalText& t, const Peer& peer, const PrettyStyle& style, std::string& chunk) {
    std::string key = peer.public_key.to_base64();
    chunk.assign(TERM_YELLOW).append(TERM_BOLD).append("peer").append(TERM_RESET).append(": ");
    chunk.append(TERM_YELLOW).append(key).append(TERM_RESET);
    if (!style.names.empty()) {
        if (auto name = config::name_of(style.names, key))
            chunk.append(" (").append(*name).append(")");
    }
    chunk += '\n';
    t.print(chunk);
    if (has_psk(peer)) {
        t.print(label("preshared key"));
        t.print_secret(masked(*peer.preshared_key, style.hide_keys));
        t.print("\n");
    }
    if (peer.endpoint && peer.endpoint->valid()) {
        chunk.clear();
        append_label(chunk, "endpoint");
        chunk.append(format_endpoint(*peer.endpoint));
        if (!style.endpoint_hosts.empty()) {
            std::string host = endpoint_host(style.endpoint_hosts, peer.public_key);
            if (!host.empty())
                chunk.append(" (").append(host).append(")");
        }
        chunk += '\n';
        t.print(chunk);
    }
    chunk.clear();
    append_label(chunk, "allowed ips");
    t.print(chunk);
    if (peer.allowed_ips.empty())
        t.print("(none)\n");
    char digits[4];
    for (std::size_t i = 0; i < peer.allowed_ips.size(); ++i) {
        const auto& a = peer.allowed_ips[i];
        chunk.assign(a.prefix.address.to_string()).append(TERM_CYAN).append("/").append(TERM_RESET);
        chunk.append(digits, std::to_chars(digits, digits + sizeof digits, a.prefix.cidr).ptr);
        chunk.append(i + 1 < peer.allowed_ips.size() ? ", " : "\n");
        t.print(chunk);
    }
    HandshakeTime hs = handshake_of(peer);
    if (hs.sec)
        t.print(label("latest handshake") + ago(hs.sec, style.now) + "\n");
    std::uint64_t rx = peer.rx_bytes.value_or(0), tx = peer.tx_bytes.value_or(0);
    if (rx || tx) {
        t.print(label("transfer"));
        t.print(format_bytes(rx) + " received, ");
        t.print(format_bytes(tx) + " sent\n");
    }
    if (std::uint16_t ka = peer.persistent_keepalive.value_or(0)) {
        chunk.clear();
        append_label(chunk, "persistent keepalive");
        chunk.append("every ").append(format_duration(ka)).append("\n");
        t.print(chunk);
    }
}

} // namespace

std::string format_duration(unsigned long long left) {
    constexpr unsigned long long YEAR = 365ULL * 24 * 60 * 60, DAY = 24ULL * 60 * 60;
    const unsigned long long parts[] = {left / YEAR, left % YEAR / DAY, left % DAY / 3600,
                                        left % 3600 / 60, left % 60};
    const char* names[] = {"year", "day", "hour", "minute", "second"};
    std::string out;
    for (int i = 0; i < 5; ++i) {
        if (!parts[i])
            continue;
        if (!out.empty())
            out += ", ";
        out += std::to_string(parts[i]) + " " + str(TERM_CYAN) + names[i] +
               (parts[i] == 1 ? "" : "s") + str(TERM_RESET);
    }
    return out;
}

std::string format_bytes(std::uint64_t b) {
    char buf[64];
    constexpr std::uint64_t K = 1024;
    if (b < K)
        std::snprintf(buf, sizeof buf, "%u \x1b[36mB\x1b[0m", static_cast<unsigned>(b));
    else if (b < K * K)
        std::snprintf(buf, sizeof buf, "%.2f \x1b[36mKiB\x1b[0m", double(b) / 1024);
    else if (b < K * K * K)
        std::snprintf(buf, sizeof buf, "%.2f \x1b[36mMiB\x1b[0m", double(b) / (1024 * 1024));
    else if (b < K * K * K * K)
        std::snprintf(buf, sizeof buf, "%.2f \x1b[36mGiB\x1b[0m", double(b) / (1024 * 1024 * 1024));
    else
        std::snprintf(buf, sizeof buf, "%.2f \x1b[36mTiB\x1b[0m",
                      double(b) / (1024 * 1024 * 1024) / 1024);
    return buf;
}

std::string format_endpoint(const Endpoint& e) {
    if (e.family() == AF_INET)
        return e.to_string(); // the same text, without getnameinfo's sprintf calls
    char host[4096 + 1], serv[512 + 1];
    int ret = ::getnameinfo(e.sa(), e.sa_len(), host, sizeof host, serv, sizeof serv,
                            NI_DGRAM | NI_NUMERICSERV | NI_NUMERICHOST);
    if (ret)
        return ::gai_strerror(ret);
    if (e.family() == AF_INET6 && std::strchr(host, ':'))
        return "[" + std::string(host) + "]:" + serv;
    return std::string(host) + ":" + serv;
}

SecretString format_pretty(const Device& device, const PrettyStyle& style) {
    TerminalText t(style.color);
    t.print(TERM_RESET);
    t.print(str(TERM_GREEN) + str(TERM_BOLD) + "interface" + str(TERM_RESET) + ": " +
            str(TERM_GREEN) + device.name + str(TERM_RESET) + "\n");
    if (device.public_key)
        t.print(label("public key") + device.public_key->to_base64() + "\n");
    if (device.private_key) {
        t.print(label("private key"));
        t.print_secret(masked(*device.private_key, style.hide_keys));
        t.print("\n");
    }
    if (std::uint16_t port = device.listen_port.value_or(0))
        t.print(label("listening port") + std::to_string(port) + "\n");
    if (device.fwmark.value_or(0))
        t.print(label("fwmark") + fwmark_text(device) + "\n");

    // About 170 bytes per peer without colour, 230 with: one allocation for the usual output.
    t.reserve(512 + device.peers.size() * (style.color ? 256 : 192));
    std::vector<const Peer*> peers;
    peers.reserve(device.peers.size());
    for (const auto& p : device.peers)
        peers.push_back(&p);
    if (!peers.empty()) {
        std::stable_sort(peers.begin(), peers.end(), newer_handshake_first);
        t.print("\n");
    }
    std::string chunk;
    for (std::size_t i = 0; i < peers.size(); ++i) {
        pretty_peer(t, *peers[i], style, chunk);
        if (i + 1 < peers.size())
            t.print("\n");
    }
    return t.take();
}

SecretString format_dump(const Device& d, bool with_interface) {
    const std::string prefix = with_interface ? d.name + "\t" : "";
    SecretString out;
    append(out, {prefix, key_text(d.private_key), "\t", key_text(d.public_key), "\t",
                 std::to_string(d.listen_port.value_or(0)), "\t", fwmark_text(d), "\n"});
    for (const auto& p : d.peers) {
        append(out, {prefix, p.public_key.to_base64(), "\t", psk_text(p), "\t", endpoint_or_none(p),
                     "\t"});
        if (p.allowed_ips.empty())
            out += "(none)\t";
        for (std::size_t i = 0; i < p.allowed_ips.size(); ++i)
            append(out,
                   {allowed_ip_text(p.allowed_ips[i]), i + 1 < p.allowed_ips.size() ? "," : "\t"});
        append(out, {std::to_string(static_cast<unsigned long long>(handshake_of(p).sec)), "\t",
                     std::to_string(p.rx_bytes.value_or(0)), "\t",
                     std::to_string(p.tx_bytes.value_or(0)), "\t"});
        std::uint16_t ka = p.persistent_keepalive.value_or(0);
        append(out, {ka ? std::to_string(ka) : "off", "\n"});
    }
    return out;
}

std::optional<SecretString> format_field(const Device& d, std::string_view field,
                                         bool with_interface) {
    const std::string prefix = with_interface ? d.name + "\t" : "";
    SecretString out;
    auto line = [&](std::initializer_list<std::string_view> pieces) {
        append(out, pieces);
        return out;
    };
    if (field == "public-key")
        return line({prefix, key_text(d.public_key), "\n"});
    if (field == "private-key")
        return line({prefix, key_text(d.private_key), "\n"});
    if (field == "listen-port")
        return line({prefix, std::to_string(d.listen_port.value_or(0)), "\n"});
    if (field == "fwmark")
        return line({prefix, fwmark_text(d), "\n"});
    if (field == "dump")
        return format_dump(d, with_interface);

    auto per_peer = [&](auto&& peer_line) {
        for (const auto& p : d.peers) {
            out += prefix;
            out += peer_line(p);
        }
        return out;
    };
    if (field == "endpoints") {
        // wg 1.0.20210914's quirk: the interface column is printed once, before the peers
        // (so a device without peers leaves "NAME\t" with no newline).
        out.assign(prefix);
        for (const auto& p : d.peers)
            append(out, {p.public_key.to_base64(), "\t", endpoint_or_none(p), "\n"});
        return out;
    }
    if (field == "allowed-ips")
        return per_peer([](const Peer& p) {
            std::string s = p.public_key.to_base64() + "\t";
            if (p.allowed_ips.empty())
                return s + "(none)\n";
            for (std::size_t i = 0; i < p.allowed_ips.size(); ++i)
                s +=
                    allowed_ip_text(p.allowed_ips[i]) + (i + 1 < p.allowed_ips.size() ? " " : "\n");
            return s;
        });
    if (field == "latest-handshakes")
        return per_peer([](const Peer& p) {
            return p.public_key.to_base64() + "\t" +
                   std::to_string(static_cast<unsigned long long>(handshake_of(p).sec)) + "\n";
        });
    if (field == "transfer")
        return per_peer([](const Peer& p) {
            return p.public_key.to_base64() + "\t" + std::to_string(p.rx_bytes.value_or(0)) + "\t" +
                   std::to_string(p.tx_bytes.value_or(0)) + "\n";
        });
    if (field == "persistent-keepalive")
        return per_peer([](const Peer& p) {
            std::uint16_t ka = p.persistent_keepalive.value_or(0);
            return p.public_key.to_base64() + "\t" + (ka ? std::to_string(ka) : "off") + "\n";
        });
    if (field == "preshared-keys")
        return per_peer([](const Peer& p) {
            SecretString s;
            append(s, {p.public_key.to_base64(), "\t", psk_text(p), "\n"});
            return s;
        });
    if (field == "peers")
        return per_peer([](const Peer& p) { return p.public_key.to_base64() + "\n"; });
    return std::nullopt;
}

} // namespace wgx::cli
