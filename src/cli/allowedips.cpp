// `allowedips`: prints what an AllowedIPs list leaves once ranges are cut out of it, in the
// form an AllowedIPs line takes, so ExcludedIPs can be checked (or used with plain wg).
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "config/excluded_ips.hpp"

namespace wgx::cli {

namespace {
int usage(const Invocation& inv) {
    std::fprintf(stderr,
                 "Usage: %s %s <prefix>[,<prefix>...]... [--exclude <prefix>[,<prefix>...]...]\n",
                 inv.prog.c_str(), inv.args[0].c_str());
    return 1;
}

/// Adds the comma- or space-separated prefixes of `arg` to `out`; false on a bad one.
bool add_prefixes(const Invocation& inv, const std::string& arg, std::vector<IpPrefix>& out) {
    std::string word;
    for (std::size_t i = 0; i <= arg.size(); ++i) {
        if (i < arg.size() && arg[i] != ',' && arg[i] != ' ' && arg[i] != '\t') {
            word += arg[i];
            continue;
        }
        if (word.empty())
            continue;
        auto p = IpPrefix::parse(word);
        if (!p) {
            std::fprintf(stderr, "%s: `%s' is not an IP prefix\n", inv.prog.c_str(), word.c_str());
            return false;
        }
        out.push_back(*p);
        word.clear();
    }
    return true;
}
} // namespace

int allowedips_main(const Invocation& inv) {
    std::vector<IpPrefix> allowed, excluded;
    bool excluding = false, any_allowed = false;
    for (std::size_t i = 1; i < inv.args.size(); ++i) {
        const auto& a = inv.args[i];
        if (a == "--exclude" || a == "-x") {
            excluding = true;
            continue;
        }
        if (a.starts_with("-"))
            return usage(inv);
        if (!add_prefixes(inv, a, excluding ? excluded : allowed))
            return 1;
        any_allowed = any_allowed || !excluding;
    }
    if (!any_allowed)
        return usage(inv);
    std::string line = config::join_prefixes(config::subtract_prefixes(allowed, excluded)) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    return 0;
}

} // namespace wgx::cli
