#include "quick/arguments.hpp"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace wgx::quick {

Arguments parse_arguments(int argc, char** argv) {
    Arguments a;
    if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
                      std::strcmp(argv[1], "help") == 0)) {
        a.kind = Arguments::Kind::help;
        return a;
    }
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        a.kind = Arguments::Kind::version;
        return a;
    }
    if (argc != 3)
        return a;
    const Command* command = find_command(argv[1]);
    if (command == nullptr)
        return a;
    a.action = command->action;
    a.kind = Arguments::Kind::run;
    a.target = argv[2];
    return a;
}

bool valid_interface_name(std::string_view name) {
    if (name.empty() || name.size() > 15)
        return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '=' || c == '+' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

Result<ConfigLocation>
locate_config(const std::string& target, const std::function<bool(const std::string&)>& exists,
              const std::function<std::string(const std::string&)>& canonical) {
    std::string path = target;
    if (valid_interface_name(target))
        path = "/etc/wireguard/" + target + ".conf";
    if (!exists(path))
        return make_error("`" + path + "' does not exist", ENOENT);
    // (^|/)([a-zA-Z0-9_=+.-]{1,15})\.conf$ : the basename is NAME.conf.
    static constexpr std::string_view suffix = ".conf";
    std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    std::string name;
    if (base.size() > suffix.size() && base.ends_with(suffix))
        name = base.substr(0, base.size() - suffix.size());
    if (!valid_interface_name(name))
        return make_error("The config file must be a valid interface name, followed by .conf",
                          EINVAL);
    return ConfigLocation{canonical(path), name};
}

Result<ConfigLocation> locate_config(const std::string& target) {
    auto exists = [](const std::string& p) {
        struct stat st;
        return ::stat(p.c_str(), &st) == 0;
    };
    auto canonical = [](const std::string& p) {
        char buf[PATH_MAX];
        return ::realpath(p.c_str(), buf) ? std::string(buf) : p;
    };
    return locate_config(target, exists, canonical);
}

bool world_accessible(mode_t file_mode, mode_t dir_mode) {
    return (file_mode & dir_mode & 07) != 0;
}

std::string usage_text(const std::string& program) {
    return "Usage: " + program + " [ " + command_alternatives() +
           " ] [ CONFIG_FILE | INTERFACE ]\n"
           "\n"
           "  CONFIG_FILE is a configuration file, whose filename is the interface name\n"
           "  followed by `.conf'. Otherwise, INTERFACE is an interface name, with\n"
           "  configuration found at /etc/wireguard/INTERFACE.conf. It is to be readable\n"
           "  by wg(8)'s `setconf' sub-command, with the exception of the following additions\n"
           "  to the [Interface] section, which are handled by " +
           program +
           ":\n"
           "\n"
           "  - Address: may be specified one or more times and contains one or more\n"
           "    IP addresses (with an optional CIDR mask) to be set for the interface.\n"
           "  - DNS: an optional DNS server to use while the device is up.\n"
           "  - MTU: an optional MTU for the interface; if unspecified, auto-calculated.\n"
           "  - Table: an optional routing table to which routes will be added; if\n"
           "    unspecified or `auto', the default table is used. If `off', no routes\n"
           "    are added.\n"
           "  - PreUp, PostUp, PreDown, PostDown: script snippets which will be executed\n"
           "    by bash(1) at the corresponding phases of the link, most commonly used\n"
           "    to configure DNS. The string `%i' is expanded to INTERFACE.\n"
           "  - SaveConfig: if set to `true', the configuration is saved from the current\n"
           "    state of the interface upon shutdown.\n"
           "\n"
           "  Unlike wg-quick's, `strip' validates the whole file: a bad line is reported\n"
           "  as FILE:LINE and the exit status is 1, with nothing printed on stdout.\n"
           "\n"
           "See wg-quick(8) for more info and examples.\n";
}

} // namespace wgx::quick
