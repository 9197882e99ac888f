// Endpoint names are resolved after a file has been read, as late as possible, with wg's retry
// policy: permanent failures stop at once, temporary ones are retried with a growing delay.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "config/config_reader.hpp"
#include "config/config_values.hpp"

namespace wgx::config {

Result<int> parse_resolution_retries(const char* env_value) {
    if (!env_value)
        return 15;
    std::string_view v(env_value);
    if (v == "infinity")
        return -1;
    // wg uses strtoul: digits only here (strtoul's leading space/sign are not worth copying).
    auto n = parse_decimal<unsigned long>(v);
    if (!n || *n > static_cast<unsigned long>(INT_MAX))
        return make_error(fmt::format("Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `{}'", v),
                          EINVAL);
    return int(*n);
}

Result<ResolveOptions> default_resolve_options() {
    auto retries = parse_resolution_retries(std::getenv("WG_ENDPOINT_RESOLUTION_RETRIES"));
    if (!retries)
        return retries.error();
    ResolveOptions o;
    o.retries = *retries;
    return o;
}

namespace {

struct AddrinfoFree {
    void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

} // namespace

Result<Endpoint> resolve_endpoint(const std::string& value, const ResolveOptions& o) {
    auto parts = split_endpoint(value);
    if (!parts)
        return parts.error();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    int retries = o.retries;
    addrinfo* res = nullptr;
    for (unsigned timeout_us = 1000000;; timeout_us = std::min(20000000u, timeout_us * 6 / 5)) {
        int ret = o.getaddrinfo
                      ? o.getaddrinfo(parts->first.c_str(), parts->second.c_str(), &hints, &res)
                      : ::getaddrinfo(parts->first.c_str(), parts->second.c_str(), &hints, &res);
        if (ret == 0)
            break;
        std::string reason = ret == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(ret);
        bool permanent = ret == EAI_NONAME || ret == EAI_FAIL;
#ifdef EAI_NODATA
        permanent = permanent || ret == EAI_NODATA;
#endif
        if (permanent || (retries >= 0 && retries-- == 0))
            return make_error(fmt::format("{}: `{}'", reason, value), EINVAL);
        std::string msg = fmt::format("{}: `{}'. Trying again in {:.2f} seconds...", reason, value,
                                      timeout_us / 1000000.0);
        if (o.warn)
            o.warn(msg);
        else
            std::fprintf(stderr, "%s\n", msg.c_str());
        if (o.sleep)
            o.sleep(std::chrono::microseconds(timeout_us));
        else
            std::this_thread::sleep_for(std::chrono::microseconds(timeout_us));
    }
    std::unique_ptr<addrinfo, AddrinfoFree> owned(res);
    if ((res->ai_family == AF_INET && res->ai_addrlen == sizeof(sockaddr_in)) ||
        (res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(sockaddr_in6)))
        return Endpoint::from_sockaddr(res->ai_addr, res->ai_addrlen);
    return make_error(fmt::format("Neither IPv4 nor IPv6 address found: `{}'", value), EINVAL);
}

Result<void> resolve_endpoints(model::Device& device, const ResolveOptions& options) {
    // Resolve everything first, then store: a failure leaves the device untouched.
    std::vector<std::pair<model::Peer*, Endpoint>> resolved;
    for (auto& peer : device.peers) {
        if (!peer.endpoint_host)
            continue;
        auto ep = resolve_endpoint(*peer.endpoint_host, options);
        if (!ep)
            return ep.error();
        resolved.emplace_back(&peer, *ep);
    }
    for (auto& [peer, ep] : resolved) {
        peer->endpoint = ep;
        peer->endpoint_host.reset();
    }
    return {};
}

Result<void> resolve_endpoints(model::Device& device) {
    auto options = default_resolve_options();
    if (!options)
        return options.error();
    return resolve_endpoints(device, *options);
}

} // namespace wgx::config
