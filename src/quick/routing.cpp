#include "quick/routing.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace wgx::quick {

std::vector<IpPrefix> routes_in_order(const model::Device& device) {
    std::set<IpPrefix> seen;
    std::vector<std::pair<IpPrefix, std::string>> all;
    for (const auto& peer : device.peers)
        for (const auto& aip : peer.allowed_ips) {
            if (aip.remove)
                continue;
            IpPrefix p = aip.prefix.masked();
            if (seen.insert(p).second)
                all.emplace_back(p, p.to_string());
        }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        if (a.first.cidr != b.first.cidr)
            return a.first.cidr > b.first.cidr;
        return a.second > b.second; // sort -r's last-resort comparison, C locale
    });
    std::vector<IpPrefix> out;
    for (auto& [p, s] : all)
        out.push_back(p);
    return out;
}

TableNames::TableNames() : names_{{"local", 255}, {"main", 254}, {"default", 253}} {}

void TableNames::read(std::istream& in) {
    std::string line;
    for (int i = 0; i < 100000 && std::getline(in, line); ++i) {
        std::istringstream ls(line);
        std::string id, name;
        if (!(ls >> id >> name) || id.empty() || id[0] == '#')
            continue;
        char* end = nullptr;
        unsigned long v = std::strtoul(id.c_str(), &end, 0);
        if (end == id.c_str() || *end || v > 0xffffffffUL)
            continue;
        names_[name] = std::uint32_t(v);
    }
}

TableNames TableNames::from_system() {
    TableNames t;
    std::ifstream main_file("/etc/iproute2/rt_tables");
    t.read(main_file);
    std::error_code ec;
    std::vector<std::filesystem::path> extra;
    for (const auto& e : std::filesystem::directory_iterator("/etc/iproute2/rt_tables.d", ec))
        if (e.path().extension() == ".conf")
            extra.push_back(e.path());
    std::sort(extra.begin(), extra.end());
    for (const auto& p : extra) {
        std::ifstream f(p);
        t.read(f);
    }
    return t;
}

std::optional<std::uint32_t> TableNames::lookup(const std::string& name) const {
    if (auto it = names_.find(name); it != names_.end())
        return it->second;
    if (name.empty() || name[0] == '-' || name[0] == '+')
        return std::nullopt;
    char* end = nullptr;
    errno = 0;
    unsigned long v = std::strtoul(name.c_str(), &end, 0);
    if (end == name.c_str() || *end || errno || v > 0xffffffffUL)
        return std::nullopt;
    return std::uint32_t(v);
}

Result<TableChoice> choose_table(const std::optional<std::string>& value, const TableNames& names) {
    TableChoice c;
    if (!value || value->empty() || *value == "auto")
        return c;
    if (*value == "off") {
        c.kind = TableChoice::Kind::off;
        return c;
    }
    auto id = names.lookup(*value);
    if (!id)
        return make_error("Error: argument \"" + *value + "\" is wrong: \"table\" value is invalid",
                          EINVAL);
    c.kind = TableChoice::Kind::table;
    c.id = *id;
    return c;
}

std::uint32_t first_free_table(const std::vector<std::uint32_t>& tables_in_use) {
    std::set<std::uint32_t> used(tables_in_use.begin(), tables_in_use.end());
    std::uint32_t t = 51820;
    while (used.count(t))
        ++t;
    return t;
}

} // namespace wgx::quick
