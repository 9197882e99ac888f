// One binary, three tools: dispatched on the name it is invoked by (or `wgx quick|engine ...`).
#include <cstring>
#include <string_view>

#include "cli/cli.hpp"
#include "engine/engine_main.hpp"
#include "quick/quick.hpp"

namespace {
std::string_view basename_of(const char* path) {
    std::string_view s = path ? path : "wgx";
    auto slash = s.rfind('/');
    return slash == std::string_view::npos ? s : s.substr(slash + 1);
}
} // namespace

int main(int argc, char** argv) {
    std::string_view self = basename_of(argc > 0 ? argv[0] : nullptr);
    if (self == "wgx-quick")
        return wgx::quick::main(argc, argv);
    if (self == "wgx-engine")
        return wgx::engine::main(argc, argv);
    // Without the symlinks: `wgx quick up wg0`, `wgx engine wg0`. argv[1] becomes the program name.
    if (argc > 1 && std::strcmp(argv[1], "quick") == 0)
        return wgx::quick::main(argc - 1, argv + 1);
    if (argc > 1 && std::strcmp(argv[1], "engine") == 0)
        return wgx::engine::main(argc - 1, argv + 1);
    return wgx::cli::main(argc, argv);
}
