#include "config/config_reader.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <unistd.h>

#include <fmt/format.h>

#include "base/secret_file.hpp"
#include "base/secret_string.hpp"
#include "base/unique_fd.hpp"
#include "config/config_values.hpp"
#include "config/excluded_ips.hpp"
#include "config/key_file.hpp"

namespace wgx::config {

namespace {

/// wg removes every one of these from a line before looking at it (so "Listen Port = 5" works).
bool wg_space(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/// What wg's parser sees: the text before the first '#' (or NUL), with all whitespace removed.
/// "KEY = VALUE" for wg_lines, built in wiping memory (VALUE may be a key).
SecretString wg_line_of(std::string_view key, std::string_view value) {
    SecretString line(key);
    line += " = ";
    line += value;
    return line;
}

SecretString wg_clean(std::string_view line) {
    auto end = line.find_first_of(std::string_view("#\0", 2));
    if (end != std::string_view::npos)
        line = line.substr(0, end);
    SecretString out; // a PrivateKey or PresharedKey line
    out.reserve(line.size());
    for (char c : line)
        if (!wg_space(c))
            out.push_back(c);
    return out;
}

/// bash's `read -r line` with the default IFS: leading/trailing spaces, tabs and newlines go.
std::string_view bash_read_trim(std::string_view s) {
    auto first = s.find_first_not_of(" \t\n");
    if (first == std::string_view::npos)
        return {};
    auto last = s.find_last_not_of(" \t\n");
    return s.substr(first, last - first + 1);
}

/// bash's `${x##*([[:space:]])}` and `${x%%*([[:space:]])}`.
std::string_view posix_space_trim(std::string_view s) {
    constexpr std::string_view spaces = " \t\n\v\f\r";
    auto first = s.find_first_not_of(spaces);
    if (first == std::string_view::npos)
        return {};
    auto last = s.find_last_not_of(spaces);
    return s.substr(first, last - first + 1);
}

/// If `line` starts with `key` followed by '=' (case-insensitively) and has something after it,
/// the value; wg's get_value() requires a non-empty value or the line is unrecognized.
std::optional<std::string_view> key_value(std::string_view line, std::string_view key) {
    if (line.size() <= key.size() + 1 || !iequals(line.substr(0, key.size()), key) ||
        line[key.size()] != '=')
        return std::nullopt;
    return line.substr(key.size() + 1);
}

/// Splits wg-quick list values the way `( ${value//,/ } )` does: on commas and IFS whitespace.
std::vector<std::string> split_words(std::string_view value) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : value) {
        if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
            if (!cur.empty())
                words.push_back(std::move(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty())
        words.push_back(std::move(cur));
    return words;
}

/// wg-quick's test for a DNS server (else it is a search domain): ^[0-9.]+$ or contains ':'.
bool looks_like_dns_server(std::string_view v) {
    if (v.find(':') != std::string_view::npos)
        return true;
    if (v.empty())
        return false;
    for (char c : v)
        if (!(c == '.' || (c >= '0' && c <= '9')))
            return false;
    return true;
}

} // namespace

SecretString ConfigFile::stripped() const {
    SecretString out;
    for (const auto& l : wg_lines) {
        out += l;
        out += '\n';
    }
    out += '\n';
    return out;
}

ConfigReader::ConfigReader(Mode mode, std::string source)
    : mode_(mode), source_(std::move(source)) {}

ConfigReader::ConfigReader(Mode mode, std::string source, const ResolveOptions* resolve)
    : mode_(mode), source_(std::move(source)), resolve_(resolve) {}

Error ConfigReader::fail(std::string message) const {
    return make_error(fmt::format("{}:{}: {}", source_, line_, message), EINVAL);
}

Result<void> ConfigReader::feed_line(std::string_view line) {
    if (failed_)
        return make_error(fmt::format("{}: reader used after an error", source_), EINVAL);
    ++line_;
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    Result<void> r;
    if (mode_ == Mode::quick) {
        bool consumed = false;
        r = quick_line(line, consumed);
        if (r && !consumed) {
            out_.wg_lines.emplace_back(bash_read_trim(line));
            r = wg_line(line);
        }
    } else {
        r = wg_line(line);
    }
    if (!r)
        failed_ = true;
    return r;
}

Result<void> ConfigReader::quick_line(std::string_view raw, bool& consumed) {
    // wg-quick's parse_options(): it looks at the trimmed line, cuts the comment, splits at the
    // first '=', trims both sides, and matches sections and keys case-insensitively.
    std::string_view line = bash_read_trim(raw);
    std::string_view stripped = line.substr(0, line.find('#'));
    auto eq = stripped.find('=');
    std::string_view key = posix_space_trim(stripped.substr(0, eq));
    std::string_view value =
        posix_space_trim(eq == std::string_view::npos ? stripped : stripped.substr(eq + 1));
    if (!key.empty() && key.front() == '[')
        quick_interface_ = false;
    if (iequals(key, "[Interface]"))
        quick_interface_ = true;
    if (!quick_interface_)
        return in_peer_ ? quick_peer_line(key, value, consumed) : Result<void>{};

    auto& q = out_.quick;
    consumed = true;
    if (iequals(key, "PrivateKeyFile")) {
        if (out_.device.private_key)
            return fail("PrivateKeyFile and PrivateKey are both given");
        auto k = read_key_named(value);
        if (!k)
            return fail(k.error().message);
        out_.device.private_key = *k;
        private_key_from_file_ = true;
        // strip hands wg the key itself: a stripped file without PrivateKey would make
        // `wg syncconf` clear the interface's key.
        out_.wg_lines.push_back(wg_line_of("PrivateKey", k->to_base64()));
    } else if (iequals(key, "Address")) {
        for (const auto& w : split_words(value)) {
            auto p = IpPrefix::parse(w);
            if (!p)
                return fail(fmt::format("Address is not in the correct format: `{}'", w));
            q.addresses.push_back(*p);
        }
    } else if (iequals(key, "MTU")) {
        if (value.empty()) {
            q.mtu.reset();
        } else {
            auto mtu = parse_decimal<std::uint32_t>(value);
            if (!mtu)
                return fail(fmt::format("MTU is not a number: `{}'", value));
            q.mtu = *mtu;
        }
    } else if (iequals(key, "DNS")) {
        for (auto& w : split_words(value))
            (looks_like_dns_server(w) ? q.dns : q.dns_search).push_back(std::move(w));
    } else if (iequals(key, "Table")) {
        if (value.empty())
            q.table.reset();
        else
            q.table = std::string(value);
    } else if (iequals(key, "PreUp")) {
        q.pre_up.emplace_back(value);
    } else if (iequals(key, "PreDown")) {
        q.pre_down.emplace_back(value);
    } else if (iequals(key, "PostUp")) {
        q.post_up.emplace_back(value);
    } else if (iequals(key, "PostDown")) {
        q.post_down.emplace_back(value);
    } else if (iequals(key, "Masquerade")) {
        bool name_ok = !value.empty() && value.size() <= 15 &&
                       value.find_first_of(" /\t") == std::string_view::npos;
        if (!name_ok)
            return fail(
                fmt::format("Masquerade is neither auto nor an interface name: `{}'", value));
        q.masquerade = std::string(value);
    } else if (iequals(key, "Forward")) {
        if (iequals(value, "true"))
            q.forward = true;
        else if (iequals(value, "false"))
            q.forward = false;
        else
            return fail(fmt::format("`{}' is neither true nor false", value));
    } else if (iequals(key, "SaveConfig")) {
        if (iequals(value, "true"))
            q.save_config = true;
        else if (iequals(value, "false"))
            q.save_config = false;
        else
            return fail(fmt::format("`{}' is neither true nor false", value));
    } else {
        consumed = false;
    }
    return {};
}

std::string ConfigReader::beside_config(std::string_view path) const {
    if (path.empty() || path.front() == '/')
        return std::string(path);
    auto slash = source_.rfind('/');
    if (slash == std::string::npos)
        return std::string(path);
    return source_.substr(0, slash + 1) + std::string(path);
}

Result<model::Key> ConfigReader::read_key_named(std::string_view path) const {
    if (path.empty())
        return make_error("a key file path is missing", EINVAL);
    return read_protected_key_file(beside_config(path));
}

Result<void> ConfigReader::quick_peer_line(std::string_view key, std::string_view value,
                                           bool& consumed) {
    auto& peer = out_.device.peers.back();
    auto& extra = peer_extras_.back();
    consumed = true;
    if (iequals(key, "ExcludedIPs")) {
        for (const auto& w : split_words(value)) {
            auto p = IpPrefix::parse(w);
            if (!p)
                return fail(fmt::format("ExcludedIPs is not in the correct format: `{}'", w));
            extra.excluded.push_back(*p);
        }
        extra.has_exclusions = true;
    } else if (iequals(key, "PresharedKeyFile")) {
        if (peer.preshared_key)
            return fail("PresharedKeyFile and PresharedKey are both given");
        auto k = read_key_named(value);
        if (!k)
            return fail(k.error().message);
        peer.preshared_key = *k;
        extra.psk_from_file = true;
        out_.wg_lines.push_back(wg_line_of("PresharedKey", k->to_base64()));
    } else {
        consumed = false;
    }
    return {};
}

void ConfigReader::apply_exclusions() {
    std::vector<bool> drop(out_.wg_lines.size(), false);
    for (std::size_t i = 0; i < peer_extras_.size(); ++i) {
        auto& extra = peer_extras_[i];
        if (!extra.has_exclusions)
            continue;
        auto& peer = out_.device.peers[i];
        std::vector<IpPrefix> allowed;
        for (const auto& a : peer.allowed_ips)
            allowed.push_back(a.prefix);
        auto kept = subtract_prefixes(allowed, extra.excluded);
        peer.allowed_ips.clear();
        for (const auto& p : kept)
            peer.allowed_ips.push_back(model::AllowedIp{p, false});
        // The first AllowedIPs line carries the whole compiled set; the others go.
        for (std::size_t j = 0; j < extra.allowed_lines.size(); ++j) {
            std::size_t at = extra.allowed_lines[j];
            if (j == 0 && !kept.empty())
                out_.wg_lines[at] = wg_line_of("AllowedIPs", join_prefixes(kept));
            else
                drop[at] = true;
        }
    }
    std::vector<SecretString> lines;
    for (std::size_t i = 0; i < out_.wg_lines.size(); ++i)
        if (!drop[i])
            lines.push_back(std::move(out_.wg_lines[i]));
    out_.wg_lines = std::move(lines);
}

Error ConfigReader::unrecognized(std::string_view line) const {
    std::string message = fmt::format("Line unrecognized: `{}'", line);
    if (mode_ == Mode::wg) {
        static constexpr std::string_view quick_keys[] = {
            "Address",          "DNS",        "MTU",      "Table",      "PreUp",
            "PostUp",           "PreDown",    "PostDown", "SaveConfig", "PrivateKeyFile",
            "PresharedKeyFile", "ExcludedIPs"};
        std::string_view key = line.substr(0, line.find('='));
        for (auto k : quick_keys)
            if (iequals(key, k))
                return fail(message + fmt::format(" ({} is a wg-quick key: give wg the output of "
                                                  "`wgx-quick strip FILE')",
                                                  k));
    }
    return fail(message);
}

Result<void> ConfigReader::check_moved_prefixes() {
    struct Holder {
        std::size_t peer;
        unsigned line;
    };
    std::map<IpPrefix, Holder> holders;
    const auto& peers = out_.device.peers;
    for (std::size_t j = 0; j < peers.size(); ++j) {
        const auto& lines = peer_extras_[j].allowed_ip_lines;
        for (std::size_t k = 0; k < peers[j].allowed_ips.size() && k < lines.size(); ++k) {
            IpPrefix p = peers[j].allowed_ips[k].prefix.masked();
            auto it = holders.find(p);
            if (it != holders.end() && it->second.peer != j &&
                !(peers[it->second.peer].public_key == peers[j].public_key)) {
                std::string message = fmt::format(
                    "{}:{}: AllowedIPs {} moves here from the peer at {}:{} (wg gives a prefix "
                    "to the last peer that names it)",
                    source_, lines[k], p.to_string(), source_, it->second.line);
                if (strict_)
                    return make_error(message + "; --strict makes this an error", EINVAL);
                out_.warnings.push_back("Warning: " + message);
            }
            holders[p] = Holder{j, lines[k]};
        }
    }
    return {};
}

Result<void> ConfigReader::wg_line(std::string_view raw) {
    const SecretString cleaned = wg_clean(raw);
    const std::string_view line = cleaned;
    if (line.empty())
        return {};
    auto& dev = out_.device;
    if (iequals(line, "[Interface]")) {
        in_interface_ = true;
        in_peer_ = false;
        return {};
    }
    if (iequals(line, "[Peer]")) {
        in_interface_ = false;
        in_peer_ = true;
        model::Peer peer;
        peer.replace_allowed_ips = true; // a [Peer] section states its whole AllowedIPs set
        dev.peers.push_back(std::move(peer));
        peer_extras_.emplace_back();
        peer_lines_.push_back(line_);
        peer_has_key_.push_back(false);
        return {};
    }
    std::optional<std::string_view> v;
    Result<void> r;
    if (in_interface_) {
        if ((v = key_value(line, "ListenPort")))
            r = parse_listen_port(*v, dev.listen_port);
        else if ((v = key_value(line, "FwMark")))
            r = parse_fwmark(*v, dev.fwmark);
        else if ((v = key_value(line, "PrivateKey"))) {
            if (private_key_from_file_)
                return fail("PrivateKeyFile and PrivateKey are both given");
            r = parse_key(*v, dev.private_key);
        } else
            return unrecognized(line);
    } else if (in_peer_) {
        auto& peer = dev.peers.back();
        if ((v = key_value(line, "Endpoint"))) {
            r = parse_endpoint(*v, peer);
            if (r && resolve_ && peer.endpoint_host) {
                auto ep = resolve_endpoint(*peer.endpoint_host, *resolve_);
                if (!ep)
                    return fail(ep.error().message);
                peer.endpoint = *ep;
                peer.endpoint_host.reset();
            }
        } else if ((v = key_value(line, "PublicKey"))) {
            std::optional<model::Key> key;
            r = parse_key(*v, key);
            if (r) {
                peer.public_key = *key;
                peer_has_key_.back() = true;
            }
        } else if ((v = key_value(line, "AllowedIPs"))) {
            r = parse_allowed_ips(*v, peer.allowed_ips, &out_.warnings);
            peer_extras_.back().allowed_ip_lines.resize(peer.allowed_ips.size(), line_);
            if (mode_ == Mode::quick) // feed_line has just added this line to wg_lines
                peer_extras_.back().allowed_lines.push_back(out_.wg_lines.size() - 1);
        } else if ((v = key_value(line, "PersistentKeepalive"))) {
            r = parse_persistent_keepalive(*v, peer.persistent_keepalive);
        } else if ((v = key_value(line, "PresharedKey"))) {
            if (peer_extras_.back().psk_from_file)
                return fail("PresharedKeyFile and PresharedKey are both given");
            r = parse_key(*v, peer.preshared_key);
        } else {
            return unrecognized(line);
        }
    } else {
        return unrecognized(line);
    }
    if (!r)
        return fail(r.error().message);
    return {};
}

Result<ConfigFile> ConfigReader::finish() {
    if (failed_)
        return make_error(fmt::format("{}: reader used after an error", source_), EINVAL);
    for (std::size_t i = 0; i < peer_has_key_.size(); ++i) {
        if (!peer_has_key_[i]) {
            failed_ = true;
            return make_error(
                fmt::format("{}:{}: A peer is missing a public key", source_, peer_lines_[i]),
                EINVAL);
        }
    }
    if (auto r = check_moved_prefixes(); !r) {
        failed_ = true;
        return r.error();
    }
    apply_exclusions();
    failed_ = true; // the result is moved out
    return std::move(out_);
}

Result<ConfigFile> read_config_text(std::string_view text, Mode mode, std::string source,
                                    const ResolveOptions* resolve, bool strict) {
    ConfigReader reader(mode, std::move(source), resolve);
    reader.set_strict(strict);
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
        text.remove_prefix(line.size());
        // bash's `read -r line || [[ -n $line ]]` drops a last unterminated line that trims to
        // nothing; every other line counts.
        if (mode == Mode::quick && line.back() != '\n' && bash_read_trim(line).empty())
            break;
        if (auto r = reader.feed_line(line); !r)
            return r.error();
    }
    return reader.finish();
}

Result<ConfigFile> read_config_file(const std::string& path, Mode mode,
                                    const ResolveOptions* resolve, bool strict) {
    // Straight into wiping memory: a stream would leave the keys in its own buffers.
    auto text = read_secret_file(path);
    if (!text)
        return text.error();
    return read_config_text(*text, mode, path, resolve, strict);
}

} // namespace wgx::config
