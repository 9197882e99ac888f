#include "quick/undo.hpp"

#include <charconv>
#include <sstream>

#include <netinet/in.h>

#include "quick/resolv_conf_file.hpp"

namespace wgx::quick {

namespace {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

std::string table_name(std::uint32_t t) {
    switch (t) {
    case 253:
        return "default";
    case 254:
        return "main";
    case 255:
        return "local";
    default:
        return std::to_string(t);
    }
}

std::optional<std::uint32_t> number(std::string_view s) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

} // namespace

std::string rule_command(const char* verb, const netlink::RuleSpec& r) {
    std::string s = std::string("ip ") + (r.family == AF_INET6 ? "-6" : "-4") + " rule " + verb;
    if (r.invert)
        s += " not";
    if (r.fwmark)
        s += " fwmark " + std::to_string(*r.fwmark);
    s += " table " + table_name(r.table);
    if (r.suppress_prefixlength)
        s += " suppress_prefixlength " + std::to_string(*r.suppress_prefixlength);
    return s;
}

std::string command_of(const Undo& undo) {
    return std::visit(
        Overload{
            [](const DeleteLink& u) { return "ip link delete dev " + u.interface; },
            [](const UnsetDns& u) { return "resolvconf -d " + u.resolvconf_name + " -f"; },
            [](const DeleteRule& u) { return rule_command("delete", u.rule); },
            [](const RestoreSysctl& u) { return "sysctl -q " + u.key + "=" + u.value; },
            [](const DeleteNftTable& u) { return "nft delete table " + u.family + " " + u.table; },
            [](const RevertResolvedLink& u) { return "resolvectl revert " + u.interface; },
            [](const RestoreResolvConf& u) {
                const std::string saved = saved_resolv_conf_path(u.interface);
                return "cat " + saved + " > " + resolv_conf_path() + " && rm " + saved;
            },
        },
        undo);
}

std::string record_line(const Undo& undo) {
    return std::visit(Overload{
                          [](const DeleteLink& u) { return "link " + u.interface; },
                          [](const UnsetDns& u) { return "dns " + u.resolvconf_name; },
                          [](const DeleteRule& u) {
                              const auto& r = u.rule;
                              std::string s = std::string("rule ") +
                                              (r.family == AF_INET6 ? "6" : "4") + " table " +
                                              std::to_string(r.table);
                              if (r.invert)
                                  s += " not";
                              if (r.fwmark)
                                  s += " fwmark " + std::to_string(*r.fwmark);
                              if (r.suppress_prefixlength)
                                  s += " suppress " + std::to_string(*r.suppress_prefixlength);
                              return s;
                          },
                          [](const RestoreSysctl& u) { return "sysctl " + u.key + " " + u.value; },
                          [](const DeleteNftTable& u) { return "nft " + u.family + " " + u.table; },
                          [](const RevertResolvedLink& u) {
                              return "resolved " + u.interface + " " + std::to_string(u.ifindex);
                          },
                          [](const RestoreResolvConf& u) { return "resolv.conf " + u.interface; },
                      },
                      undo);
}

std::optional<Undo> parse_record_line(std::string_view line) {
    std::istringstream in{std::string(line)};
    std::vector<std::string> w;
    std::string word;
    while (in >> word && w.size() < 16)
        w.push_back(word);
    if (w.empty())
        return std::nullopt;
    if (w[0] == "link" && w.size() == 2)
        return DeleteLink{w[1]};
    if (w[0] == "dns" && w.size() == 2)
        return UnsetDns{w[1]};
    if (w[0] == "resolved" && w.size() == 3) {
        auto index = number(w[2]);
        if (!index || *index == 0 || *index > 0x7fffffffu)
            return std::nullopt;
        return RevertResolvedLink{w[1], int(*index)};
    }
    if (w[0] == "resolv.conf" && w.size() == 2)
        return RestoreResolvConf{w[1]};
    if (w[0] == "sysctl" && w.size() == 3)
        return RestoreSysctl{w[1], w[2]};
    if (w[0] == "nft" && w.size() == 3 && (w[1] == "ip" || w[1] == "ip6" || w[1] == "inet"))
        return DeleteNftTable{w[1], w[2]};
    if (w[0] == "rule" && w.size() >= 4 && (w[1] == "4" || w[1] == "6") && w[2] == "table") {
        netlink::RuleSpec r;
        r.family = w[1] == "6" ? AF_INET6 : AF_INET;
        auto t = number(w[3]);
        if (!t)
            return std::nullopt;
        r.table = *t;
        for (std::size_t i = 4; i < w.size(); ++i) {
            if (w[i] == "not") {
                r.invert = true;
            } else if ((w[i] == "fwmark" || w[i] == "suppress") && i + 1 < w.size()) {
                auto v = number(w[i + 1]);
                if (!v)
                    return std::nullopt;
                (w[i] == "fwmark" ? r.fwmark : r.suppress_prefixlength) = *v;
                ++i;
            } else {
                return std::nullopt;
            }
        }
        return DeleteRule{r};
    }
    return std::nullopt;
}

std::string record_text(const std::vector<Undo>& undos) {
    std::string s;
    for (const auto& u : undos)
        s += record_line(u) + "\n";
    return s;
}

std::vector<Undo> parse_record(std::string_view text) {
    std::vector<Undo> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        if (auto u = parse_record_line(text.substr(start, end - start)))
            out.push_back(*u);
        start = end + 1;
    }
    return out;
}

} // namespace wgx::quick
