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
    if (argc < 3)
        return a;
    std::string_view verb = argv[1];
    if ((verb == "save" || verb == "up" || verb == "strip") && argc > 3) {
        // wgx-quick's own options: save --force, up/strip --strict.
        std::string_view allowed = verb == "save" ? "--force" : "--strict";
        for (int i = 3; i < argc; ++i)
            if (argv[i] != allowed)
                return a;
        a.action = verb == "save" ? Action::save : verb == "up" ? Action::up : Action::strip;
        a.kind = Arguments::Kind::run;
        a.target = argv[2];
        a.options.assign(argv + 3, argv + argc);
        return a;
    }
    if (verb == "addpeer" || verb == "showpeer" || verb == "rmpeer" || verb == "reload") {
        a.action = verb == "addpeer"    ? Action::addpeer
                   : verb == "showpeer" ? Action::showpeer
                   : verb == "rmpeer"   ? Action::rmpeer
                                        : Action::reload;
        a.kind = Arguments::Kind::run;
        a.target = argv[2];
        a.options.assign(argv + 3, argv + argc);
        return a;
    }
    if (argc != 3)
        return a;
    if (verb == "up")
        a.action = Action::up;
    else if (verb == "down")
        a.action = Action::down;
    else if (verb == "save")
        a.action = Action::save;
    else if (verb == "strip")
        a.action = Action::strip;
    else
        return a;
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
    return "Usage: " + program +
           " [ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]\n"
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
           "  Beyond wg-quick (see wgx-quick(8)):\n"
           "\n"
           "  Keys of its own (strip turns them into plain wg lines):\n"
           "  - PrivateKeyFile ([Interface]), PresharedKeyFile ([Peer]): read the key from\n"
           "    a file that only root may read (mode 0600 or stricter, owned by root).\n"
           "  - ExcludedIPs ([Peer]): ranges cut out of the peer's AllowedIPs.\n"
           "  - Masquerade = auto|IFACE, Forward = true ([Interface]): NAT of what leaves\n"
           "    the tunnel through IFACE (auto: the default route's), and IP forwarding,\n"
           "    both undone at down.\n"
           "\n"
           "  save CONFIG --force writes over a file that was edited since up (plain save\n"
           "  refuses, and keeps comments and the file's order when it writes).\n"
           "  up CONFIG --strict and strip CONFIG --strict refuse a file that gives one\n"
           "  AllowedIPs prefix to two peers (otherwise a warning names both lines).\n"
           "\n"
           "  Subcommands beyond wg-quick's:\n"
           "  addpeer CONFIG [--name NAME] [--address auto|CIDR...] [--allowed-ips LIST]\n"
           "          [--endpoint HOST[:PORT]] [--dns LIST] [--keepalive N] [--psk] [--qr]\n"
           "          [--output FILE]\n"
           "      makes a key pair for a new client, gives it the lowest free address of\n"
           "      each Address subnet, adds it to CONFIG (and to the interface if it is up)\n"
           "      and prints the client's configuration (or writes it to FILE, or as a QR).\n"
           "  showpeer CONFIG NAME [--qr]\n"
           "      prints again a client configuration that addpeer wrote with --output.\n"
           "  rmpeer CONFIG NAME|PUBLIC-KEY\n"
           "      takes a peer out of CONFIG and out of the running interface.\n"
           "  reload CONFIG [--dry-run]\n"
           "      brings the running interface to what CONFIG says, changing only what\n"
           "      differs; --dry-run prints the changes without making them.\n"
           "\n"
           "See wg-quick(8) for more info and examples.\n";
}

} // namespace wgx::quick
