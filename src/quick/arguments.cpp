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
    if (argc < 3)
        return a;
    const Command* command = find_command(argv[1]);
    if (command == nullptr)
        return a;
    if (command->from_wg_quick) {
        // wgx-quick's one flag per subcommand (save --force, up/strip --strict) and up's
        // --dns-backend=NAME, any number of times; anything else after the argument is
        // wg-quick's usage error. The value is checked by whoever reads it.
        for (int i = 3; i < argc; ++i) {
            std::string_view word = argv[i];
            bool flag = !command->flag.empty() && word == command->flag;
            bool option = !command->value_option.empty() && word.starts_with(command->value_option);
            if (!flag && !option)
                return a;
        }
    }
    a.options.assign(argv + 3, argv + argc);
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

namespace {

/// "  NAME SYNOPSIS\n      DESCRIPTION\n" for each of wgx-quick's own subcommands.
std::string own_subcommands() {
    std::string text;
    for (const auto& c : command_table())
        if (!c.from_wg_quick)
            text += "  " + std::string(c.name) + " " + std::string(c.synopsis) + "\n      " +
                    std::string(c.description) + "\n";
    return text;
}

} // namespace

std::string usage_text(const std::string& program) {
    // The first line is wg-quick's own, byte for byte, while the table holds wg-quick's four
    // subcommands: scripts match it on the error paths. The rest is in our own words.
    return "Usage: " + program + " [ " + command_alternatives() +
           " ] [ CONFIG_FILE | INTERFACE ]\n"
           "\n"
           "Brings a WireGuard interface up from one configuration file, and down again.\n"
           "Every change is echoed as `[#] COMMAND', the command that would make it by hand;\n"
           "the changes themselves go through netlink, not ip(8), nft(8) or sysctl(8).\n"
           "\n"
           "  up     create the interface (the kernel's, else the bundled wgx-engine), apply\n"
           "         the file, then addresses, MTU, DNS, routes and firewall rules, running\n"
           "         the hooks in between; if any step fails, every step already taken is\n"
           "         undone (src_valid_mark included) and the exit status is 1\n"
           "  down   undo what `up' recorded, hooks included; this also works after a\n"
           "         userspace engine has died\n"
           "  save   write the interface's live state back into the file (a temporary file\n"
           "         with mode 0600, synced, then renamed over it)\n"
           "  strip  print the file without the keys below, for `wgx setconf'; unlike\n"
           "         wg-quick's, it checks the whole file: a bad line is reported\n"
           "         as FILE:LINE and the exit status is 1, with nothing on stdout\n"
           "\n"
           "CONFIG_FILE must be named after its interface: INTERFACE.conf. A bare INTERFACE\n"
           "name means /etc/wireguard/INTERFACE.conf. Besides what `wgx setconf' reads, the\n"
           "[Interface] section may hold Address, DNS, MTU, Table, PreUp, PostUp, PreDown,\n"
           "PostDown and SaveConfig; " +
           program +
           " handles those itself.\n"
           "\n"
           "Beyond wg-quick (see wgx-quick(8)):\n"
           "\n"
           "Keys of its own (strip turns them into plain wg lines):\n"
           "  PrivateKeyFile ([Interface]), PresharedKeyFile ([Peer]): read the key from a\n"
           "    file that only root may read (mode 0600 or stricter, owned by root)\n"
           "  ExcludedIPs ([Peer]): ranges cut out of the peer's AllowedIPs\n"
           "  Masquerade = auto|IFACE, Forward = true ([Interface]): NAT of what leaves the\n"
           "    tunnel through IFACE (auto: the default route's), and IP forwarding, both\n"
           "    undone at down\n"
           "\n"
           "save CONFIG --force writes over a file that was edited since up (plain save\n"
           "refuses, and keeps comments and the file's order when it writes).\n"
           "up CONFIG --strict and strip CONFIG --strict refuse a file that gives one\n"
           "AllowedIPs prefix to two peers (otherwise a warning names both lines).\n"
           "up CONFIG --dns-backend=resolved|resolvconf|file picks how DNS is set: through\n"
           "systemd-resolved's bus API (a `~NAME' entry of DNS = routes only NAME's queries\n"
           "there), through resolvconf, or by rewriting /etc/resolv.conf and restoring it at\n"
           "down. Without it: resolved if it runs, else resolvconf if installed, else the file.\n"
           "\n"
           "Subcommands beyond wg-quick's:\n" +
           own_subcommands() +
           "\n"
           "See wgx-quick(8) for each key and for every difference from wg-quick(8).\n";
}

} // namespace wgx::quick
