// `wgx-quick showpeer`: the client configuration addpeer wrote with --output, printed again
// (or as a QR code). Without --output addpeer kept no copy of the client's private key.
#include "base/secret_file.hpp"
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
    auto text = read_secret_file(ctx.config_file);
    if (!text)
        return die(ctx, text.error().message);
    auto sections = find_peer_sections(split_lines(*text));
    const PeerSection* peer = find_peer(sections, who);
    if (!peer)
        return die(ctx, "no peer `" + who + "' in " + ctx.config_file);
    if (peer->client_config.empty())
        return die(ctx, "peer `" + who +
                            "' has no saved client configuration (only addpeer --output keeps "
                            "one)");
    auto config = read_secret_file(peer->client_config);
    if (!config)
        return die(ctx, config.error().message);
    auto r = print_client_config(*config, qr, current_terminal());
    if (!r)
        return die(ctx, r.error().message);
    return 0;
}

} // namespace wgx::quick
