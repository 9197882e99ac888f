// Undoing a record: shared by `down` and by `up` finding a record left behind.
#include <cstdio>

#include "quick/context.hpp"
#include "quick/record.hpp"
#include "quick/system_undo.hpp"

namespace wgx::quick {

void undo_record(Context& ctx, netlink::Socket& sock, const std::vector<Undo>& undos) {
    SystemUndoRunner runner(sock);
    for (auto it = undos.rbegin(); it != undos.rend(); ++it) {
        if (auto* s = std::get_if<RestoreSysctl>(&*it);
            s && sysctl_held_elsewhere(ctx.interface, s->key))
            continue;
        ctx.echo(command_of(*it));
        if (auto r = runner.run(*it); !r)
            std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), r.error().message.c_str());
    }
}

} // namespace wgx::quick
