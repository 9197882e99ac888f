// `wgx`: dispatch on the first argument through the command table, exactly as wg does.
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/cli.hpp"
#include "cli/command_table.hpp"

namespace wgx::cli {

int main(int argc, char** argv) {
    std::string prog = argc > 0 && argv[0] ? argv[0] : "wgx";
    auto is_any = [&](std::string_view a, std::string_view b, std::string_view c) {
        std::string_view s = argv[1];
        return s == a || s == b || s == c;
    };
    if (argc == 2 && is_any("-v", "--version", "version")) {
        std::string line = version_line();
        std::fwrite(line.data(), 1, line.size(), stdout);
        return 0;
    }
    if (argc == 2 && is_any("-h", "--help", "help")) {
        print_usage(stdout, prog);
        return 0;
    }
    if (argc == 3 && is_any("-h", "--help", "help") && std::string_view(argv[2]) == "--all") {
        print_usage(stdout, prog, true);
        return 0;
    }
    // No arguments means `show` (which means `show all`).
    if (argc < 2)
        return show_main(Invocation{prog, {"show"}});

    if (const Command* cmd = find_command(argv[1])) {
        Invocation inv{prog, {}};
        for (int i = 1; i < argc; ++i)
            inv.args.emplace_back(argv[i]);
        return cmd->run(inv);
    }
    std::fprintf(stderr, "Invalid subcommand: `%s'\n", argv[1]);
    print_usage(stderr, prog);
    return 1;
}

} // namespace wgx::cli
