#include "quick/firewall.hpp"

#include <cerrno>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nftables/libnftables.h>

namespace wgx::quick {

std::string nft_family(int address_family) {
    return address_family == AF_INET6 ? "ip6" : "ip";
}

std::string nft_table_name(const std::string& interface) {
    return "wg-quick-" + interface;
}

std::string nft_ruleset(int address_family, const std::string& interface, std::uint32_t fwmark,
                        const std::vector<IpAddress>& addresses) {
    const std::string pf = nft_family(address_family);
    const std::string t = nft_table_name(interface);
    std::string s;
    s += fmt::format("add table {} {}\n", pf, t);
    s += fmt::format("add chain {} {} preraw {{ type filter hook prerouting priority -300; }}\n",
                     pf, t);
    s += fmt::format("add chain {} {} premangle {{ type filter hook prerouting priority -150; }}\n",
                     pf, t);
    s += fmt::format(
        "add chain {} {} postmangle {{ type filter hook postrouting priority -150; }}\n", pf, t);
    for (const auto& a : addresses)
        s += fmt::format("add rule {} {} preraw iifname != \"{}\" {} daddr {} fib saddr type != "
                         "local drop\n",
                         pf, t, interface, pf, a.to_string());
    // The trailing spaces are wg-quick's; keeping them keeps the echoed text identical.
    s += fmt::format("add rule {} {} postmangle meta l4proto udp mark {} ct mark set mark \n", pf,
                     t, fwmark);
    s += fmt::format("add rule {} {} premangle meta l4proto udp meta mark set ct mark \n", pf, t);
    return s;
}

namespace {

struct CtxDeleter {
    void operator()(nft_ctx* c) const { nft_ctx_free(c); }
};

/// Runs `commands`; the text nft would print goes to `output`.
Result<void> run(const std::string& commands, std::string* output) {
    std::unique_ptr<nft_ctx, CtxDeleter> ctx(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!ctx)
        return make_error("nft: cannot create a context", ENOMEM);
    nft_ctx_buffer_output(ctx.get());
    nft_ctx_buffer_error(ctx.get());
    int rc = nft_run_cmd_from_buffer(ctx.get(), commands.c_str());
    if (output)
        *output = nft_ctx_get_output_buffer(ctx.get());
    if (rc != 0) {
        std::string err = nft_ctx_get_error_buffer(ctx.get());
        while (!err.empty() && err.back() == '\n')
            err.pop_back();
        return make_error(err.empty() ? "nft: command failed" : err, EINVAL);
    }
    return {};
}

} // namespace

Result<void> nft_run(const std::string& commands) {
    return run(commands, nullptr);
}

Result<std::vector<std::string>> nft_tables() {
    std::string out;
    auto r = run("list tables", &out);
    if (!r)
        return r.error();
    std::vector<std::string> tables;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("table ", 0) == 0)
            tables.push_back(line.substr(6));
    return tables;
}

} // namespace wgx::quick
