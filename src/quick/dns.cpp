#include "quick/dns.hpp"

#include <fstream>
#include <sstream>

namespace wgx::quick {

namespace {

/// bash's `read -r line`: leading and trailing blanks go.
std::string trimmed(std::string s) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && blank(s.back()))
        s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && blank(s[i]))
        ++i;
    return s.substr(i);
}

bool all_of_class(std::string_view s, bool (*ok)(char)) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!ok(c))
            return false;
    return true;
}

bool name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool server_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '=' || c == '+' || c == ':' || c == '%' || c == '.' || c == '-';
}

} // namespace

std::string resolvconf_prefix(std::istream& interface_order) {
    std::string line;
    for (int i = 0; i < 100000 && std::getline(interface_order, line); ++i) {
        line = trimmed(line);
        if (line.size() >= 2 && line.back() == '*' &&
            all_of_class(std::string_view(line).substr(0, line.size() - 1), name_char))
            return line.substr(0, line.size() - 1) + ".";
    }
    return "";
}

std::string resolvconf_prefix() {
    std::ifstream in("/etc/resolvconf/interface-order");
    if (!in)
        return "";
    return resolvconf_prefix(in);
}

std::string resolvconf_input(const std::vector<std::string>& servers,
                             const std::vector<std::string>& search) {
    std::string s;
    for (const auto& v : servers)
        s += "nameserver " + v + "\n";
    if (!search.empty()) {
        s += "search";
        for (const auto& d : search)
            s += " " + d;
        s += "\n";
    }
    return s;
}

std::vector<std::string> saved_nameservers(std::string_view listing) {
    std::vector<std::string> out;
    std::istringstream in{std::string(listing)};
    std::string line;
    static constexpr std::string_view key = "nameserver ";
    while (std::getline(in, line)) {
        line = trimmed(line);
        if (line.rfind(key, 0) == 0 &&
            all_of_class(std::string_view(line).substr(key.size()), server_char))
            out.push_back(line.substr(key.size()));
    }
    return out;
}

} // namespace wgx::quick
