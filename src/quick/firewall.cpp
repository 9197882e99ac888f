#include "quick/firewall.hpp"

#include <cerrno>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nftables/libnftables.h>

#include "base/shared_library.hpp"

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

/// libnftables, loaded when the first nft step runs: only `up` and `down` of a tunnel with a
/// default route touch nftables, so every other command (and every `wgx` run) starts without
/// loading it and what it depends on.
struct Nftables {
    decltype(&nft_ctx_new) ctx_new = nullptr;
    decltype(&nft_ctx_free) ctx_free = nullptr;
    decltype(&nft_ctx_buffer_output) buffer_output = nullptr;
    decltype(&nft_ctx_buffer_error) buffer_error = nullptr;
    decltype(&nft_run_cmd_from_buffer) run_cmd_from_buffer = nullptr;
    decltype(&nft_ctx_get_output_buffer) get_output_buffer = nullptr;
    decltype(&nft_ctx_get_error_buffer) get_error_buffer = nullptr;
    std::string error; // why loading failed; empty when every symbol was found
};

const Nftables& nftables() {
    static const Nftables lib = [] {
        Nftables n;
        SharedLibrary so(NFTABLES_SONAME);
        so.find("nft_ctx_new", n.ctx_new);
        so.find("nft_ctx_free", n.ctx_free);
        so.find("nft_ctx_buffer_output", n.buffer_output);
        so.find("nft_ctx_buffer_error", n.buffer_error);
        so.find("nft_run_cmd_from_buffer", n.run_cmd_from_buffer);
        so.find("nft_ctx_get_output_buffer", n.get_output_buffer);
        so.find("nft_ctx_get_error_buffer", n.get_error_buffer);
        if (!so.error().empty())
            n.error = "nft: " + so.error();
        return n;
    }();
    return lib;
}

/// Runs `commands`; the text nft would print goes to `output`.
Result<void> run(const std::string& commands, std::string* output) {
    const Nftables& nft = nftables();
    if (!nft.error.empty())
        return make_error(nft.error, ENOSYS);
    auto free_ctx = [&nft](nft_ctx* c) { nft.ctx_free(c); };
    std::unique_ptr<nft_ctx, decltype(free_ctx)> ctx(nft.ctx_new(NFT_CTX_DEFAULT), free_ctx);
    if (!ctx)
        return make_error("nft: cannot create a context", ENOMEM);
    nft.buffer_output(ctx.get());
    nft.buffer_error(ctx.get());
    int rc = nft.run_cmd_from_buffer(ctx.get(), commands.c_str());
    if (output)
        *output = nft.get_output_buffer(ctx.get());
    if (rc != 0) {
        std::string err = nft.get_error_buffer(ctx.get());
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
