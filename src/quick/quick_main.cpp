// `wgx-quick [ up | down | save | strip ] [ CONFIG_FILE | INTERFACE ]`: wg-quick(8)'s command
// line, with the kernel reached through rtnetlink instead of `ip`.
#include "quick/quick.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "base/version.hpp"
#include "config/config_reader.hpp"
#include "config/strip.hpp"
#include "quick/arguments.hpp"
#include "quick/context.hpp"
#include "quick/dns_backend.hpp"
#include "quick/process.hpp"

namespace wgx::quick {

int die(const Context& ctx, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), message.c_str());
    return 1;
}

namespace {

std::string self_exe() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, std::size_t(n)) : std::string();
}

/// wg-quick's auto_su(): run again as root through sudo. Only returns on failure.
int reexec_as_root(const std::string& program, int argc, char** argv) {
    std::string exe = self_exe();
    std::string beside = exe;
    beside.resize(exe.rfind('/') == std::string::npos ? 0 : exe.rfind('/') + 1);
    beside.append("wgx-quick");
    std::string prompt = program;
    prompt.append(" must be run as root. Please enter the password for %u to continue: ");
    std::vector<std::string> args = {"sudo", "-p", prompt, "--"};
    // The binary picks its tool by the name it is run as; the wgx-quick link keeps that.
    if (::access(beside.c_str(), X_OK) == 0) {
        args.push_back(beside);
    } else {
        args.push_back(exe);
        args.push_back("quick");
    }
    for (int i = 1; i < argc; ++i)
        args.push_back(argv[i]);
    std::vector<char*> cargs;
    for (auto& a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);
    auto sudo = find_program("sudo");
    if (!sudo) {
        std::fprintf(stderr, "%s: must be run as root, and sudo is not installed\n",
                     program.c_str());
        return 1;
    }
    ::execv(sudo->c_str(), cargs.data());
    std::fprintf(stderr, "%s: sudo: %s\n", program.c_str(), std::strerror(errno));
    return 1;
}

void warn_if_world_accessible(const std::string& path) {
    struct stat file, dir;
    auto slash = path.rfind('/');
    std::string d = slash == std::string::npos ? std::string(".")
                    : slash == 0               ? std::string("/")
                                               : path.substr(0, slash);
    if (::stat(path.c_str(), &file) == 0 && ::stat(d.c_str(), &dir) == 0 &&
        world_accessible(file.st_mode, dir.st_mode))
        std::fprintf(stderr, "Warning: `%s' is world accessible\n", path.c_str());
}

} // namespace

int main(int argc, char** argv) {
    Context ctx;
    Arguments args = parse_arguments(argc, argv);
    if (args.kind == Arguments::Kind::version) {
        std::printf("wgx-quick v%.*s - a wg-quick(8) drop-in, part of wgx\n", int(VERSION.size()),
                    VERSION.data());
        return 0;
    }
    if (args.kind != Arguments::Kind::run) {
        std::fputs(usage_text(ctx.program).c_str(), stderr);
        return args.kind == Arguments::Kind::help ? 0 : 1;
    }
    // A bad --dns-backend= is one line before anything runs (and before sudo asks).
    for (const auto& o : args.options) {
        static constexpr std::string_view option = "--dns-backend=";
        if (!std::string_view(o).starts_with(option))
            continue;
        const std::string value = o.substr(option.size());
        ctx.dns_backend = parse_dns_backend(value);
        if (!ctx.dns_backend)
            return die(ctx, "--dns-backend: `" + value +
                                "' is not a DNS backend (resolved, resolvconf or file)");
    }
    if (::getuid() != 0)
        return reexec_as_root(ctx.program, argc, argv);

    auto location = locate_config(args.target);
    if (!location)
        return die(ctx, location.error().message);
    ctx.config_file = location->path;
    ctx.interface = location->interface;
    ctx.options = args.options;
    warn_if_world_accessible(ctx.config_file);

    const bool strict =
        std::find(args.options.begin(), args.options.end(), "--strict") != args.options.end();
    if (args.action == Action::strip) {
        auto file = config::read_config_file(ctx.config_file, config::Mode::quick, nullptr, strict);
        if (!file)
            return die(ctx, file.error().message);
        const SecretString text = file->stripped();
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 1;
    }
    auto config = config::read_config_file(ctx.config_file, config::Mode::quick, nullptr, strict);
    if (!config)
        return die(ctx, config.error().message);
    // What wg would print while reading the file, and what wgx adds where wg is silent.
    if (args.action == Action::up || args.action == Action::reload)
        for (const auto& w : config->warnings)
            std::fprintf(stderr, "%s\n", w.c_str());
    ctx.config = std::move(*config);
    switch (args.action) {
    case Action::up:
        return cmd_up(ctx);
    case Action::down:
        return cmd_down(ctx);
    case Action::save:
        return cmd_save(ctx);
    case Action::addpeer:
        return cmd_addpeer(ctx);
    case Action::showpeer:
        return cmd_showpeer(ctx);
    case Action::rmpeer:
        return cmd_rmpeer(ctx);
    case Action::reload:
        return cmd_reload(ctx);
    case Action::strip:
        break;
    }
    return 1;
}

} // namespace wgx::quick
