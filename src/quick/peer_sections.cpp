#include "quick/peer_sections.hpp"

#include "config/config_values.hpp"

namespace wgx::quick {

namespace {

/// The line as wg reads it: no comment, no whitespace at all.
std::string squeezed(std::string_view line) {
    line = line.substr(0, line.find('#'));
    std::string out;
    for (char c : line)
        if (c != ' ' && !(c >= '\t' && c <= '\r'))
            out.push_back(c);
    return out;
}

/// "# KEY = VALUE" (spaces optional, KEY case-insensitive): VALUE trimmed.
std::optional<std::string> comment_value(std::string_view line, std::string_view key) {
    auto hash = line.find_first_not_of(" \t");
    if (hash == std::string_view::npos || line[hash] != '#')
        return std::nullopt;
    line.remove_prefix(hash + 1);
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return std::nullopt;
    std::string k = squeezed(line.substr(0, eq));
    if (!config::iequals(k, key))
        return std::nullopt;
    std::string_view v = line.substr(eq + 1);
    auto a = v.find_first_not_of(" \t"), b = v.find_last_not_of(" \t\r");
    return a == std::string_view::npos ? std::string() : std::string(v.substr(a, b - a + 1));
}

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

} // namespace

ConfigLines split_lines(std::string_view text) {
    ConfigLines lines;
    while (!text.empty()) {
        auto nl = text.find('\n');
        lines.emplace_back(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
    return lines;
}

SecretString join_lines(const ConfigLines& lines) {
    SecretString out;
    for (const auto& l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

std::vector<PeerSection> find_peer_sections(const ConfigLines& lines) {
    std::vector<PeerSection> out;
    bool in_peer = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string s = squeezed(lines[i]);
        if (!s.empty() && s.front() == '[') {
            if (in_peer)
                out.back().end = i;
            in_peer = config::iequals(s, "[Peer]");
            if (in_peer)
                out.push_back(PeerSection{i, lines.size(), {}, {}, {}});
            continue;
        }
        if (!in_peer)
            continue;
        auto& p = out.back();
        if (auto v = comment_value(lines[i], "Name"))
            p.name = *v;
        else if (auto c = comment_value(lines[i], "ClientConfig"))
            p.client_config = *c;
        else if (s.size() > 10 && config::iequals(s.substr(0, 10), "PublicKey="))
            p.public_key = model::Key::from_base64(s.substr(10));
    }
    return out;
}

const PeerSection* find_peer(const std::vector<PeerSection>& sections, std::string_view who) {
    for (const auto& s : sections)
        if (!s.name.empty() && s.name == who)
            return &s;
    auto key = model::Key::from_base64(who);
    if (!key)
        return nullptr;
    for (const auto& s : sections)
        if (s.public_key && *s.public_key == *key)
            return &s;
    return nullptr;
}

void append_section(ConfigLines& lines, const ConfigLines& section) {
    if (!lines.empty() && !blank(lines.back()))
        lines.emplace_back();
    lines.insert(lines.end(), section.begin(), section.end());
}

void remove_section(ConfigLines& lines, const PeerSection& section) {
    std::size_t first = section.first, end = section.end;
    // The blank lines that separated it from what came before go with it; at the end of the
    // file, so do its own trailing blank lines.
    while (first > 0 && blank(lines[first - 1]))
        --first;
    if (end < lines.size()) {
        // Keep one separation before the next section.
        while (end > section.first + 1 && blank(lines[end - 1]))
            --end;
    }
    lines.erase(lines.begin() + std::ptrdiff_t(first), lines.begin() + std::ptrdiff_t(end));
}

bool valid_peer_name(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '@' || c == '+' || c == '-'))
            return false;
    return true;
}

} // namespace wgx::quick
