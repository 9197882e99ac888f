#include "quick/save_merge.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "config/config_values.hpp"
#include "config/config_writer.hpp"
#include "config/excluded_ips.hpp"
#include "quick/peer_sections.hpp"

namespace wgx::quick {

namespace {

/// One line as wg-quick splits it: key before '=', comment after '#'.
struct KeyLine {
    std::string key;     // trimmed, as spelled
    SecretString value;  // may be the private key
    std::string comment; // "# ..." or empty
};

std::string_view trim(std::string_view s) {
    auto a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string_view::npos ? std::string_view() : s.substr(a, b - a + 1);
}

std::optional<KeyLine> key_line(std::string_view line) {
    auto hash = line.find('#');
    std::string_view body = line.substr(0, hash);
    auto eq = body.find('=');
    if (eq == std::string_view::npos)
        return std::nullopt;
    KeyLine k{std::string(trim(body.substr(0, eq))), SecretString(trim(body.substr(eq + 1))),
              hash == std::string_view::npos ? std::string() : std::string(line.substr(hash))};
    if (k.key.empty() || k.key.front() == '[')
        return std::nullopt;
    return k;
}

std::string fmt_hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

/// "KEY = value", in wiping memory: the value may be a key.
SecretString key_value_line(std::string_view key, std::string_view value) {
    SecretString line(key);
    line += " = ";
    line += value;
    return line;
}

/// Edits collected against the original line numbers, applied at the end.
class Edits {
  public:
    explicit Edits(ConfigLines lines)
        : lines_(std::move(lines)), drop_(lines_.size(), false), after_(lines_.size()) {}

    const ConfigLines& lines() const { return lines_; }
    void set_value(std::size_t i, std::string_view value) {
        auto k = key_line(lines_[i]);
        lines_[i] = key_value_line(k->key, value);
        if (!k->comment.empty())
            lines_[i] += " " + k->comment;
    }
    void drop(std::size_t i) { drop_[i] = true; }
    void insert_after(std::size_t i, SecretString line) { after_[i].push_back(std::move(line)); }
    void drop_range(std::size_t first, std::size_t end) {
        for (std::size_t i = first; i < end; ++i)
            drop_[i] = true;
    }
    ConfigLines result() const {
        ConfigLines out;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (!drop_[i])
                out.push_back(lines_[i]);
            out.insert(out.end(), after_[i].begin(), after_[i].end());
        }
        return out;
    }

  private:
    ConfigLines lines_;
    std::vector<bool> drop_;
    std::vector<ConfigLines> after_;
};

/// Lines [first, end) grouped by key (lowercased, spaces removed).
std::map<std::string, std::vector<std::size_t>> keys_in(const ConfigLines& lines, std::size_t first,
                                                        std::size_t end) {
    std::map<std::string, std::vector<std::size_t>> out;
    for (std::size_t i = first; i < end; ++i)
        if (auto k = key_line(lines[i])) {
            std::string name;
            for (char c : k->key)
                if (c != ' ' && c != '\t')
                    name += char(std::tolower(static_cast<unsigned char>(c)));
            out[name].push_back(i);
        }
    return out;
}

std::set<IpPrefix> masked_set(const std::vector<model::AllowedIp>& ips) {
    std::set<IpPrefix> out;
    for (const auto& a : ips)
        out.insert(a.prefix.masked());
    return out;
}

std::string prefixes_text(const std::vector<model::AllowedIp>& ips) {
    std::vector<IpPrefix> v;
    for (const auto& a : ips)
        v.push_back(a.prefix);
    return config::join_prefixes(v);
}

/// Replaces the value of the first of `at` lines (dropping the others), or inserts
/// "KEY = value" after `anchor` when there is none.
void put(Edits& e, const std::vector<std::size_t>* at, std::size_t anchor, const std::string& key,
         std::string_view value) {
    if (at && !at->empty()) {
        e.set_value(at->front(), value);
        for (std::size_t j = 1; j < at->size(); ++j)
            e.drop((*at)[j]);
    } else {
        e.insert_after(anchor, key_value_line(key, value));
    }
}

void drop_all(Edits& e, const std::vector<std::size_t>* at) {
    if (at)
        for (auto i : *at)
            e.drop(i);
}

template <typename M>
const std::vector<std::size_t>* find(const M& keys, const std::string& name) {
    auto it = keys.find(name);
    return it == keys.end() ? nullptr : &it->second;
}

void merge_interface(Edits& e, std::size_t first, std::size_t end, const config::ConfigFile& file,
                     const LiveConfig& live) {
    auto keys = keys_in(e.lines(), first, end);
    const auto& q = file.quick;
    std::set<IpPrefix> file_addresses(q.addresses.begin(), q.addresses.end());
    // The kernel's own IPv6 link-local addresses are not configuration.
    std::vector<IpPrefix> kept;
    for (const auto& a : live.addresses)
        if (!(a.address.is_v6() && a.address.bytes[0] == 0xfe &&
              (a.address.bytes[1] & 0xc0) == 0x80))
            kept.push_back(a);
    std::set<IpPrefix> live_addresses(kept.begin(), kept.end());
    if (file_addresses != live_addresses) {
        if (kept.empty())
            drop_all(e, find(keys, "address"));
        else
            put(e, find(keys, "address"), first, "Address", config::join_prefixes(kept));
    }
    std::set<std::string> file_dns(q.dns.begin(), q.dns.end());
    std::set<std::string> live_dns(live.nameservers.begin(), live.nameservers.end());
    if (file_dns != live_dns) {
        std::vector<std::string> all = live.nameservers;
        if (!all.empty())
            all.insert(all.end(), q.dns_search.begin(), q.dns_search.end());
        std::string joined;
        for (const auto& d : all)
            joined += (joined.empty() ? "" : ", ") + d;
        if (all.empty())
            drop_all(e, find(keys, "dns"));
        else
            put(e, find(keys, "dns"), first, "DNS", joined);
    }
    if (auto* at = find(keys, "mtu"); at && q.mtu && *q.mtu != live.mtu && live.mtu)
        put(e, at, first, "MTU", std::to_string(live.mtu));
    const auto& d = live.device;
    if (auto* at = find(keys, "listenport");
        at && d.listen_port && file.device.listen_port != d.listen_port)
        put(e, at, first, "ListenPort", std::to_string(*d.listen_port));
    if (auto* at = find(keys, "fwmark");
        at && file.device.fwmark.value_or(0) != d.fwmark.value_or(0))
        put(e, at, first, "FwMark", d.fwmark.value_or(0) ? fmt_hex(*d.fwmark) : std::string("off"));
    if (auto* at = find(keys, "privatekey"); at && d.private_key && file.device.private_key &&
                                             !(*d.private_key == *file.device.private_key))
        put(e, at, first, "PrivateKey", d.private_key->secret_base64());
}

void merge_peer(Edits& e, const PeerSection& section, const model::Peer& file_peer,
                const model::Peer& live_peer) {
    auto keys = keys_in(e.lines(), section.first, section.end);
    // Where a new line goes: after the PublicKey line, else after "[Peer]".
    std::size_t anchor = section.first;
    if (auto* at = find(keys, "publickey"))
        anchor = at->front();
    if (masked_set(file_peer.allowed_ips) != masked_set(live_peer.allowed_ips)) {
        drop_all(e, find(keys, "excludedips"));
        if (live_peer.allowed_ips.empty())
            drop_all(e, find(keys, "allowedips"));
        else
            put(e, find(keys, "allowedips"), anchor, "AllowedIPs",
                prefixes_text(live_peer.allowed_ips));
    }
    if (auto* at = find(keys, "endpoint"); at && live_peer.endpoint) {
        auto v = key_line(e.lines()[at->front()]);
        auto numeric = Endpoint::parse(v->value);
        if (numeric && !(*numeric == *live_peer.endpoint))
            put(e, at, anchor, "Endpoint", live_peer.endpoint->to_string());
    }
    unsigned file_keepalive = file_peer.persistent_keepalive.value_or(0);
    unsigned live_keepalive = live_peer.persistent_keepalive.value_or(0);
    if (file_keepalive != live_keepalive) {
        if (live_keepalive)
            put(e, find(keys, "persistentkeepalive"), anchor, "PersistentKeepalive",
                std::to_string(live_keepalive));
        else
            drop_all(e, find(keys, "persistentkeepalive"));
    }
    if (!find(keys, "presharedkeyfile")) {
        bool file_has = file_peer.preshared_key && !file_peer.preshared_key->is_zero();
        bool live_has = live_peer.preshared_key && !live_peer.preshared_key->is_zero();
        if (live_has && (!file_has || !(*live_peer.preshared_key == *file_peer.preshared_key)))
            put(e, find(keys, "presharedkey"), anchor, "PresharedKey",
                live_peer.preshared_key->secret_base64());
        else if (!live_has && file_has)
            drop_all(e, find(keys, "presharedkey"));
    }
}

} // namespace

SecretString merge_saved_config(std::string_view file_text, const config::ConfigFile& file,
                                const LiveConfig& live) {
    auto lines = split_lines(file_text);
    Edits e(lines);
    // The [Interface] section: from its header to the next header.
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto a = lines[i].find_first_not_of(" \t");
        if (a == std::string::npos || lines[i][a] != '[')
            continue;
        std::string_view line = lines[i];
        std::string_view header = trim(line.substr(0, line.find('#')));
        if (!config::iequals(header, "[Interface]"))
            continue;
        std::size_t end = i + 1;
        for (; end < lines.size(); ++end) {
            auto c = lines[end].find_first_not_of(" \t");
            if (c != std::string::npos && lines[end][c] == '[')
                break;
        }
        merge_interface(e, i, end, file, live);
        break;
    }
    auto sections = find_peer_sections(lines);
    std::vector<ConfigLines> appended;
    std::set<std::size_t> removed;
    for (std::size_t s = 0; s < sections.size() && s < file.device.peers.size(); ++s) {
        const auto& peer = file.device.peers[s];
        if (const model::Peer* lp = live.device.find_peer(peer.public_key))
            merge_peer(e, sections[s], peer, *lp);
        else
            removed.insert(s);
    }
    for (const auto& lp : live.device.peers) {
        bool known =
            std::any_of(file.device.peers.begin(), file.device.peers.end(),
                        [&](const model::Peer& p) { return p.public_key == lp.public_key; });
        if (known)
            continue;
        model::Device one;
        one.peers.push_back(lp);
        // showconf of a device with this one peer: its [Peer] block is what wg writes.
        const SecretString text = config::write_showconf(one);
        auto block = split_lines(std::string_view(text).substr(text.find("[Peer]")));
        while (!block.empty() && block.back().empty())
            block.pop_back();
        appended.push_back(block);
    }
    auto out = e.result();
    // Removed sections go last so that the line numbers of the others stay valid above; the
    // edited file is scanned again for them (the peers keep their order).
    if (!removed.empty()) {
        auto again = find_peer_sections(out);
        for (auto it = removed.rbegin(); it != removed.rend(); ++it)
            if (*it < again.size())
                remove_section(out, again[*it]);
    }
    for (const auto& block : appended)
        append_section(out, block);
    return join_lines(out);
}

} // namespace wgx::quick
