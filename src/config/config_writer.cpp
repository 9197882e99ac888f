#include "config/config_writer.hpp"

#include <cstring>

#include <netdb.h>

#include <fmt/format.h>

namespace wgx::config {

namespace {

/// wg formats endpoints with getnameinfo (numeric host, so a link-local scope shows as
/// "%ifname"), bracketing IPv6 hosts.
std::string format_endpoint(const Endpoint& ep) {
    char host[4096 + 1];
    char service[512 + 1];
    if (getnameinfo(ep.sa(), ep.sa_len(), host, sizeof host, service, sizeof service,
                    NI_DGRAM | NI_NUMERICSERV | NI_NUMERICHOST) != 0)
        return {};
    if (ep.family() == AF_INET6 && std::strchr(host, ':'))
        return fmt::format("[{}]:{}", host, service);
    return fmt::format("{}:{}", host, service);
}

} // namespace

SecretString write_showconf(const model::Device& device) {
    SecretString out = "[Interface]\n";
    if (device.listen_port && *device.listen_port)
        out += fmt::format("ListenPort = {}\n", *device.listen_port);
    if (device.fwmark && *device.fwmark)
        out += fmt::format("FwMark = 0x{:x}\n", *device.fwmark);
    if (device.private_key && !device.private_key->is_zero())
        out += "PrivateKey = " + device.private_key->secret_base64() + "\n";
    out += "\n";
    for (std::size_t i = 0; i < device.peers.size(); ++i) {
        const auto& peer = device.peers[i];
        out += "[Peer]\nPublicKey = " + peer.public_key.to_base64() + "\n";
        if (peer.preshared_key && !peer.preshared_key->is_zero())
            out += "PresharedKey = " + peer.preshared_key->secret_base64() + "\n";
        if (!peer.allowed_ips.empty()) {
            out += "AllowedIPs = ";
            for (std::size_t j = 0; j < peer.allowed_ips.size(); ++j) {
                if (j)
                    out += ", ";
                out += peer.allowed_ips[j].prefix.to_string();
            }
            out += "\n";
        }
        if (peer.endpoint && peer.endpoint->valid()) {
            if (auto ep = format_endpoint(*peer.endpoint); !ep.empty())
                out += "Endpoint = " + ep + "\n";
        }
        if (peer.persistent_keepalive && *peer.persistent_keepalive)
            out += fmt::format("PersistentKeepalive = {}\n", *peer.persistent_keepalive);
        if (i + 1 < device.peers.size())
            out += "\n";
    }
    return out;
}

} // namespace wgx::config
