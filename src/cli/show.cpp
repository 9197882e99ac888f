// `show`: the pretty form, `dump`, the field selectors, for one interface, `all` or `interfaces`.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/show_format.hpp"
#include "cli/terminal.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

namespace {

void show_usage(const Invocation& inv) {
    print_command_usage(inv);
}

PrettyStyle style_from_environment() {
    const char* hide = std::getenv("WG_HIDE_KEYS");
    return PrettyStyle{color_mode_from_environment(), !(hide && std::strcmp(hide, "never") == 0),
                       std::time(nullptr)};
}

/// Prints one device for `show IF [FIELD]`; false when FIELD is unknown (usage printed).
bool print_device(const Invocation& inv, const model::Device& dev, bool with_interface) {
    if (inv.args.size() == 3) {
        auto text = format_field(dev, inv.args[2], with_interface);
        if (!text) {
            std::fprintf(stderr, "Invalid parameter: `%s'\n", inv.args[2].c_str());
            show_usage(inv);
            return false;
        }
        write_out(*text);
        return true;
    }
    write_out(format_pretty(dev, style_from_environment()));
    return true;
}

int show_all(const Invocation& inv) {
    auto names = ipc::list_devices();
    if (!names) {
        print_errno("Unable to list interfaces", names.error());
        return 1;
    }
    int ret = names->empty() ? 0 : 1;
    for (std::size_t i = 0; i < names->size(); ++i) {
        const std::string& name = (*names)[i];
        auto dev = ipc::get_device(name);
        if (!dev) {
            std::fprintf(stderr, "Unable to access interface %s: %s\n", name.c_str(),
                         std::strerror(dev.error().code ? dev.error().code : EINVAL));
            continue;
        }
        if (!print_device(inv, *dev, true))
            return 1;
        if (inv.args.size() != 3 && i + 1 < names->size())
            write_out("\n");
        ret = 0;
    }
    return ret;
}

int show_interfaces(const Invocation& inv) {
    if (inv.args.size() > 2) {
        show_usage(inv);
        return 1;
    }
    auto names = ipc::list_devices();
    if (!names) {
        print_errno("Unable to list interfaces", names.error());
        return 1;
    }
    std::string line;
    for (std::size_t i = 0; i < names->size(); ++i)
        line += (*names)[i] + (i + 1 < names->size() ? " " : "\n");
    write_out(line);
    return 0;
}

} // namespace

int show_main(const Invocation& inv) {
    const auto& a = inv.args;
    if (a.size() > 3) {
        show_usage(inv);
        return 1;
    }
    if (a.size() == 1 || a[1] == "all")
        return show_all(inv);
    if (a[1] == "interfaces")
        return show_interfaces(inv);
    if (a.size() == 2 && (a[1] == "-h" || a[1] == "--help" || a[1] == "help")) {
        show_usage(inv);
        return 0;
    }
    auto dev = ipc::get_device(a[1]);
    if (!dev) {
        print_errno("Unable to access interface", dev.error());
        return 1;
    }
    return print_device(inv, *dev, false) ? 0 : 1;
}

} // namespace wgx::cli
