// `wgx-quick showpeer`: the client configuration addpeer wrote with --output, printed again
// (or as a QR code). Without --output addpeer kept no copy of the client's private key.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "quick/context.hpp"
#include "quick/peer_output.hpp"
#include "quick/peer_sections.hpp"

namespace wgx::quick {

int cmd_showpeer(Context& ctx) {
    std::string who;
    bool qr = false;
    for (const auto& o : ctx.options) {
        if (o == "--qr")
            qr = true;
        else if (o.starts_with("-") || !who.empty())
            return die(ctx, "usage: showpeer CONFIG_FILE|INTERFACE NAME [--qr]");
        else
            who = o;
    }
    if (who.empty())
        return die(ctx, "usage: showpeer CONFIG_FILE|INTERFACE NAME [--qr]");
    std::ifstream in(ctx.config_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto sections = find_peer_sections(split_lines(text.str()));
    const PeerSection* peer = find_peer(sections, who);
    if (!peer)
        return die(ctx, "no peer `" + who + "' in " + ctx.config_file);
    if (peer->client_config.empty())
        return die(ctx, "peer `" + who +
                            "' has no saved client configuration (only addpeer --output keeps "
                            "one)");
    std::ifstream client(peer->client_config, std::ios::binary);
    if (!client)
        return die(ctx, peer->client_config + ": " + std::strerror(errno));
    std::stringstream config;
    config << client.rdbuf();
    auto r = print_client_config(config.str(), qr, current_terminal());
    if (!r)
        return die(ctx, r.error().message);
    return 0;
}

} // namespace wgx::quick
