// `wgx-quick rmpeer`: a peer out of the file (every other line kept as it was) and out of the
// running interface.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/atomic_file.hpp"
#include "base/secret_file.hpp"
#include "ipc/ipc.hpp"
#include "quick/config_lock.hpp"
#include "quick/context.hpp"
#include "quick/peer_sections.hpp"

namespace wgx::quick {

int cmd_rmpeer(Context& ctx) {
    if (ctx.options.size() != 1 || ctx.options[0].starts_with("-"))
        return die(ctx, "usage: rmpeer CONFIG_FILE|INTERFACE NAME|PUBLIC-KEY");
    const std::string& who = ctx.options[0];
    auto lock = lock_config_directory(ctx.config_file);
    if (!lock)
        return die(ctx, lock.error().message);
    auto read = read_secret_file(ctx.config_file);
    if (!read)
        return die(ctx, read.error().message);
    const SecretString old_text = std::move(*read);
    auto lines = split_lines(old_text);
    auto sections = find_peer_sections(lines);
    const PeerSection* peer = find_peer(sections, who);
    if (!peer)
        return die(ctx, "no peer `" + who + "' in " + ctx.config_file);
    if (!peer->public_key)
        return die(ctx, "peer `" + who + "' has no valid PublicKey line");
    model::Key key = *peer->public_key;
    remove_section(lines, *peer);
    if (auto r = write_file_atomically(ctx.config_file, join_lines(lines), 0600); !r)
        return die(ctx, "Could not write configuration file: " + r.error().message);
    auto devices = ipc::list_devices();
    if (devices && std::find(devices->begin(), devices->end(), ctx.interface) != devices->end()) {
        ctx.echo("wg set " + ctx.interface + " peer " + key.to_base64() + " remove");
        model::Device update;
        update.name = ctx.interface;
        model::Peer removal;
        removal.public_key = key;
        removal.remove = true;
        update.peers.push_back(removal);
        if (auto r = ipc::set_device(update); !r) {
            if (auto w = write_file_atomically(ctx.config_file, old_text, 0600); !w)
                std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), w.error().message.c_str());
            return die(ctx, "Unable to modify interface: " + r.error().message);
        }
    }
    return 0;
}

} // namespace wgx::quick
