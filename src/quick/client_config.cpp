#include "quick/client_config.hpp"

namespace wgx::quick {

namespace {
std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::vector<std::string> texts(const std::vector<IpPrefix>& prefixes, bool host) {
    std::vector<std::string> out;
    for (const auto& p : prefixes)
        out.push_back(host ? IpPrefix{p.address, std::uint8_t(p.address.max_prefix())}.to_string()
                           : p.to_string());
    return out;
}
} // namespace

SecretString client_config_text(const NewPeer& peer) {
    SecretString out = "[Interface]\nPrivateKey = ";
    out += peer.private_key.secret_base64();
    out += "\nAddress = " + join(texts(peer.addresses, false)) + "\n";
    if (!peer.dns.empty())
        out += "DNS = " + join(peer.dns) + "\n";
    out += "\n[Peer]\n";
    out += "PublicKey = " + peer.server_public_key.to_base64() + "\n";
    if (peer.preshared_key) {
        out += "PresharedKey = ";
        out += peer.preshared_key->secret_base64();
        out += "\n";
    }
    out += "AllowedIPs = " + join(texts(peer.client_allowed_ips, false)) + "\n";
    out += "Endpoint = " + peer.server_endpoint + "\n";
    if (peer.keepalive)
        out += "PersistentKeepalive = " + std::to_string(peer.keepalive) + "\n";
    return out;
}

ConfigLines server_peer_section(const NewPeer& peer) {
    ConfigLines out = {"[Peer]", SecretString("# Name = " + peer.name),
                       SecretString("PublicKey = " + peer.public_key.to_base64())};
    if (peer.preshared_key) {
        out.emplace_back("PresharedKey = ");
        out.back() += peer.preshared_key->secret_base64();
    }
    out.emplace_back("AllowedIPs = " + join(texts(peer.addresses, true)));
    if (!peer.output_path.empty())
        out.emplace_back("# ClientConfig = " + peer.output_path);
    return out;
}

model::Peer server_peer_model(const NewPeer& peer) {
    model::Peer p;
    p.public_key = peer.public_key;
    p.preshared_key = peer.preshared_key;
    p.replace_allowed_ips = true;
    for (const auto& a : peer.addresses)
        p.allowed_ips.push_back(
            model::AllowedIp{IpPrefix{a.address, std::uint8_t(a.address.max_prefix())}, false});
    return p;
}

} // namespace wgx::quick
