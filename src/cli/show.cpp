// `show`: the pretty form, `dump`, the field selectors, for one interface, `all` or `interfaces`;
// with wgx's flags, the JSON and Prometheus forms and peer names.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/peer_names.hpp"
#include "cli/prometheus_format.hpp"
#include "cli/show_format.hpp"
#include "cli/show_json.hpp"
#include "cli/show_options.hpp"
#include "cli/terminal.hpp"
#include "config/endpoint_names.hpp"
#include "ipc/ipc.hpp"

namespace wgx::cli {

namespace {

void show_usage(const Invocation& inv) {
    print_command_usage(inv);
}

bool hide_keys_from_environment() {
    const char* hide = std::getenv("WG_HIDE_KEYS");
    return !(hide && std::strcmp(hide, "never") == 0);
}

PrettyStyle style_from_environment() {
    return PrettyStyle{
        color_mode_from_environment(), hide_keys_from_environment(), std::time(nullptr), {}, {}};
}

/// Prints one device for `show IF [FIELD]`; false when FIELD is unknown (usage printed).
bool print_device(const Invocation& inv, const model::Device& dev, bool with_interface,
                  const ShowOptions& options) {
    if (inv.args.size() == 3) {
        auto text = format_field(dev, inv.args[2], with_interface);
        if (!text) {
            std::fprintf(stderr, "Invalid parameter: `%s'\n", inv.args[2].c_str());
            show_usage(inv);
            return false;
        }
        write_secret_out(*text);
        return true;
    }
    PrettyStyle style = style_from_environment();
    if (options.names) {
        style.names = load_peer_names(dev.name);
        if (auto hosts = config::read_endpoint_names(dev.name))
            style.endpoint_hosts = std::move(*hosts);
    }
    write_secret_out(format_pretty(dev, style));
    return true;
}

int show_all(const Invocation& inv, const ShowOptions& options) {
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
        if (!print_device(inv, *dev, true, options))
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

ReportStyle report_style(const ShowOptions& options) {
    return ReportStyle{hide_keys_from_environment(), std::time(nullptr), options.stale_after};
}

/// `show {IF | all | interfaces} --json` and `--format=prometheus`.
int show_machine_readable(const Invocation& inv, const ShowOptions& options) {
    const auto& a = inv.args;
    bool json = options.format == ShowFormat::json;
    bool interfaces = a.size() == 2 && a[1] == "interfaces";
    if (a.size() > 2 || (interfaces && !json)) {
        show_usage(inv);
        return 1;
    }
    std::vector<std::string> names;
    if (a.size() == 1 || a[1] == "all" || interfaces) {
        auto listed = ipc::list_devices();
        if (!listed) {
            print_errno("Unable to list interfaces", listed.error());
            return 1;
        }
        if (interfaces) {
            write_out(format_json_interface_names(*listed));
            return 0;
        }
        names = std::move(*listed);
    } else {
        names.push_back(a[1]);
    }
    bool one = a.size() == 2 && a[1] != "all";
    std::vector<NamedDevice> devices;
    for (const auto& name : names) {
        auto dev = ipc::get_device(name);
        if (!dev) {
            if (one) {
                print_errno("Unable to access interface", dev.error());
                return 1;
            }
            std::fprintf(stderr, "Unable to access interface %s: %s\n", name.c_str(),
                         std::strerror(dev.error().code ? dev.error().code : EINVAL));
            continue;
        }
        auto peer_names = load_peer_names(dev->name);
        devices.push_back(NamedDevice{std::move(*dev), std::move(peer_names)});
    }
    ReportStyle style = report_style(options);
    if (!json)
        write_out(format_prometheus(devices, style));
    else if (one)
        write_secret_out(format_json_device(devices.front(), style));
    else
        write_secret_out(format_json_devices(devices, style));
    return 0;
}

} // namespace

int show_main(const Invocation& invocation) {
    Invocation inv = invocation;
    auto options = take_show_options(inv.args);
    if (!options) {
        std::fprintf(stderr, "%s\n", options.error().message.c_str());
        show_usage(inv);
        return 1;
    }
    const auto& a = inv.args;
    if (options->format != ShowFormat::wg &&
        !(a.size() == 2 && (a[1] == "-h" || a[1] == "--help" || a[1] == "help")))
        return show_machine_readable(inv, *options);
    if (a.size() > 3) {
        show_usage(inv);
        return 1;
    }
    if (a.size() == 1 || a[1] == "all")
        return show_all(inv, *options);
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
    return print_device(inv, *dev, false, *options) ? 0 : 1;
}

} // namespace wgx::cli
