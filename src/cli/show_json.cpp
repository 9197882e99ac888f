#include "cli/show_json.hpp"

#include "cli/json_text.hpp"
#include "cli/show_format.hpp"

namespace wgx::cli {

namespace {

/// Writes "key": value pairs of one object at one indentation.
class JsonObject {
  public:
    JsonObject(SecretString& out, std::string indent) : out_(out), indent_(std::move(indent)) {
        out_ += "{";
    }
    void raw(std::string_view key, std::string_view value) {
        name(key);
        out_ += value;
    }
    void text(std::string_view key, std::string_view value) { raw(key, json_string(value)); }
    /// A private or preshared key: base64 needs no escaping, so it is quoted in place and never
    /// copied into a plain string.
    void secret(std::string_view key, const SecretString& value) {
        name(key);
        out_ += '"';
        out_ += value;
        out_ += '"';
    }
    void number(std::string_view key, unsigned long long value) { raw(key, std::to_string(value)); }
    void close() { out_ += first_ ? "}" : "\n" + indent_ + "}"; }

  private:
    void name(std::string_view key) {
        out_ += first_ ? "\n" : ",\n";
        first_ = false;
        out_ += indent_;
        out_ += "  ";
        out_ += json_string(key);
        out_ += ": ";
    }

    SecretString& out_;
    std::string indent_;
    bool first_ = true;
};

SecretString peer_json(const NamedDevice& nd, const model::Peer& p, const ReportStyle& style,
                       const std::string& indent) {
    SecretString out;
    JsonObject o(out, indent);
    o.text("public_key", p.public_key.to_base64());
    auto name = nd.name_of(p);
    o.raw("name", name ? json_string(*name) : "null");
    if (!style.hide_keys && p.preshared_key && !p.preshared_key->is_zero())
        o.secret("preshared_key", p.preshared_key->secret_base64());
    o.raw("endpoint",
          p.endpoint && p.endpoint->valid() ? json_string(format_endpoint(*p.endpoint)) : "null");
    std::string ips = "[";
    for (std::size_t i = 0; i < p.allowed_ips.size(); ++i) {
        const auto& a = p.allowed_ips[i].prefix;
        ips += (i ? ", " : "") + json_string(a.address.to_string() + "/" + std::to_string(a.cidr));
    }
    o.raw("allowed_ips", ips + "]");
    o.number("latest_handshake", static_cast<unsigned long long>(handshake_seconds(p)));
    o.number("rx_bytes", p.rx_bytes.value_or(0));
    o.number("tx_bytes", p.tx_bytes.value_or(0));
    o.number("persistent_keepalive", p.persistent_keepalive.value_or(0));
    o.text("status", status_word(peer_status(p, style.now, style.stale_after)));
    o.close();
    return out;
}

SecretString device_json(const NamedDevice& nd, const ReportStyle& style,
                         const std::string& indent) {
    const model::Device& d = nd.device;
    SecretString out;
    JsonObject o(out, indent);
    o.text("interface", d.name);
    o.raw("public_key", d.public_key ? json_string(d.public_key->to_base64()) : "null");
    if (!style.hide_keys && d.private_key)
        o.secret("private_key", d.private_key->secret_base64());
    o.number("listen_port", d.listen_port.value_or(0));
    o.number("fwmark", d.fwmark.value_or(0));
    SecretString peers = "[";
    for (std::size_t i = 0; i < d.peers.size(); ++i) {
        peers += i ? ",\n" : "\n";
        peers += indent;
        peers += "    ";
        peers += peer_json(nd, d.peers[i], style, indent + "    ");
    }
    peers += d.peers.empty() ? "]" : "\n" + indent + "  ]";
    o.raw("peers", peers);
    o.close();
    return out;
}

} // namespace

SecretString format_json_device(const NamedDevice& device, const ReportStyle& style) {
    SecretString out = device_json(device, style, "");
    out += "\n";
    return out;
}

SecretString format_json_devices(const std::vector<NamedDevice>& devices,
                                 const ReportStyle& style) {
    if (devices.empty())
        return "[]\n";
    SecretString out = "[";
    for (std::size_t i = 0; i < devices.size(); ++i) {
        out += i ? ",\n  " : "\n  ";
        out += device_json(devices[i], style, "  ");
    }
    out += "\n]\n";
    return out;
}

std::string format_json_interface_names(const std::vector<std::string>& names) {
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + json_string(names[i]);
    return out + "]\n";
}

} // namespace wgx::cli
