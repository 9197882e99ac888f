#include "config/set_arguments.hpp"

#include <cerrno>
#include <cstdio>

namespace wgx::config {

namespace {

using model::Device;
using model::Peer;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string strip_spaces(const std::string& in) {
    std::string out;
    for (char c : in)
        if (!is_space(c))
            out += c;
    return out;
}

/// wg resolves an endpoint as soon as it reads it, so a bad name is reported before anything
/// that follows it on the command line.
Result<Endpoint> read_endpoint(const std::string& value, const SetArgumentOptions& options) {
    Device one;
    one.peers.emplace_back();
    if (auto r = parse_endpoint(value, one.peers[0]); !r)
        return r.error();
    if (one.peers[0].endpoint_host) {
        auto resolve =
            options.resolve_options ? options.resolve_options() : default_resolve_options();
        if (!resolve)
            return resolve.error();
        if (auto r = resolve_endpoints(one, *resolve); !r)
            return r.error();
    }
    if (!one.peers[0].endpoint)
        return make_error("Neither IPv4 nor IPv6 address found: `" + value + "'", EINVAL);
    return *one.peers[0].endpoint;
}

template <typename T>
Result<T> value_of(Result<void> (*parse)(std::string_view, std::optional<T>&),
                   const std::string& text) {
    std::optional<T> v;
    if (auto r = parse(text, v); !r)
        return r.error();
    return *v;
}

Result<model::Key> peer_key(const std::string& text) {
    std::optional<model::Key> k;
    if (auto r = parse_key(text, k); !r)
        return r.error();
    return *k;
}

} // namespace

Result<void> parse_set_allowed_ips(Peer& peer, std::string_view value,
                                   std::vector<std::string>& warnings) {
    peer.replace_allowed_ips = true;
    if (value.empty())
        return {};
    std::vector<model::AllowedIp> parsed;
    bool incremental = false;
    for (;;) {
        auto comma = value.find(',');
        std::string_view entry = value.substr(0, comma);
        bool remove = false;
        if (!entry.empty() && (entry[0] == '+' || entry[0] == '-')) {
            // The newest wg's incremental syntax: this entry changes the set, not replaces it.
            remove = entry[0] == '-';
            incremental = true;
            entry.remove_prefix(1);
        }
        std::size_t before = parsed.size();
        if (entry.empty())
            return make_error("Unable to parse IP address: `'", EINVAL);
        if (auto r = parse_allowed_ips(entry, parsed, &warnings); !r)
            return r;
        for (std::size_t i = before; i < parsed.size(); ++i)
            parsed[i].remove = remove;
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    if (incremental)
        peer.replace_allowed_ips = false;
    peer.allowed_ips.insert(peer.allowed_ips.end(), parsed.begin(), parsed.end());
    return {};
}

Result<Device> parse_set_arguments(std::span<const std::string> args,
                                   const SetArgumentOptions& options) {
    auto warn = options.warn ? options.warn : [](const std::string& m) {
        std::fprintf(stderr, "%s\n", m.c_str());
    };
    Device dev;
    Peer* peer = nullptr;
    while (!args.empty()) {
        const std::string& word = args[0];
        const bool has_value = args.size() >= 2;
        std::size_t used = 2;
        Result<void> step;
        if (word == "listen-port" && has_value && !peer) {
            auto v = value_of(parse_listen_port, args[1]);
            step = v ? Result<void>() : v.error();
            if (v)
                dev.listen_port = *v;
        } else if (word == "fwmark" && has_value && !peer) {
            auto v = value_of(parse_fwmark, args[1]);
            step = v ? Result<void>() : v.error();
            if (v)
                dev.fwmark = *v;
        } else if (word == "private-key" && has_value && !peer) {
            auto v = read_key_file(args[1]);
            step = v ? Result<void>() : v.error();
            if (v)
                dev.private_key = *v;
        } else if (word == "peer" && has_value) {
            auto k = peer_key(args[1]);
            step = k ? Result<void>() : k.error();
            if (k) {
                dev.peers.emplace_back();
                peer = &dev.peers.back();
                peer->public_key = *k;
            }
        } else if (word == "remove" && peer) {
            peer->remove = true;
            used = 1;
        } else if (word == "endpoint" && has_value && peer) {
            auto v = read_endpoint(args[1], options);
            step = v ? Result<void>() : v.error();
            if (v)
                peer->endpoint = *v;
        } else if (word == "allowed-ips" && has_value && peer) {
            std::vector<std::string> warnings;
            step = parse_set_allowed_ips(*peer, strip_spaces(args[1]), warnings);
            for (const auto& w : warnings)
                warn(w);
        } else if (word == "persistent-keepalive" && has_value && peer) {
            auto v = value_of(parse_persistent_keepalive, args[1]);
            step = v ? Result<void>() : v.error();
            if (v)
                peer->persistent_keepalive = *v;
        } else if (word == "preshared-key" && has_value && peer) {
            auto v = read_key_file(args[1]);
            step = v ? Result<void>() : v.error();
            if (v)
                peer->preshared_key = *v;
        } else {
            return make_error("Invalid argument: " + word, EINVAL);
        }
        if (!step)
            return step.error();
        args = args.subspan(used);
    }
    return dev;
}

} // namespace wgx::config
