#include "config/peer_names.hpp"

#include <algorithm>
#include <cctype>

namespace wgx::config {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool same_word(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// "Key = Value" split at the first '='; nullopt without one.
std::optional<std::pair<std::string_view, std::string_view>> key_value(std::string_view line) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
        return std::nullopt;
    return std::pair{trim(line.substr(0, eq)), trim(line.substr(eq + 1))};
}

/// The section being read: the key and the name found in it so far.
struct Section {
    bool peer = false;
    std::string public_key, name;
};

void close_section(Section& s, std::vector<PeerName>& out) {
    if (s.peer && !s.public_key.empty() && !s.name.empty())
        out.push_back({s.public_key, s.name});
    s = Section{};
}

} // namespace

std::vector<PeerName> read_peer_names(std::string_view text) {
    std::vector<PeerName> out;
    Section section;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.front() == '[') {
            close_section(section, out);
            section.peer = same_word(line, "[Peer]");
            continue;
        }
        if (!section.peer || line.empty())
            continue;
        if (line.front() == '#') {
            auto kv = key_value(line.substr(1));
            if (kv && (same_word(kv->first, "Name") || same_word(kv->first, "friendly_name")) &&
                section.name.empty())
                section.name = std::string(kv->second);
            continue;
        }
        // wg cuts a comment off the end of a line and ignores all whitespace in it.
        line = trim(line.substr(0, line.find('#')));
        auto kv = key_value(line);
        if (kv && same_word(kv->first, "PublicKey"))
            section.public_key = std::string(kv->second);
    }
    close_section(section, out);
    return out;
}

std::optional<std::string> name_of(const std::vector<PeerName>& names,
                                   std::string_view public_key) {
    for (const auto& n : names)
        if (n.public_key == public_key)
            return n.name;
    return std::nullopt;
}

std::optional<std::string> key_of(const std::vector<PeerName>& names, std::string_view name) {
    std::optional<std::string> found;
    for (const auto& n : names) {
        if (n.name != name)
            continue;
        if (found && *found != n.public_key)
            return std::nullopt;
        found = n.public_key;
    }
    return found;
}

} // namespace wgx::config
