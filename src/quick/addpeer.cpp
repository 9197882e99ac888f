// `wgx-quick addpeer`: a new client in one command. Keys, the lowest free address of each
// server subnet, the [Peer] section appended to the server's file (atomically, under a lock on
// the directory), the peer added to the running interface, and the client's own file printed,
// written or shown as a QR code.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <memory>
#include <unistd.h>

#include "base/atomic_file.hpp"
#include "base/decimal.hpp"
#include "base/secret_file.hpp"
#include "config/config_reader.hpp"
#include "config/config_values.hpp"
#include "crypto/kernel_random.hpp"
#include "crypto/x25519.hpp"
#include "ipc/ipc.hpp"
#include "quick/address_pool.hpp"
#include "quick/client_config.hpp"
#include "quick/config_lock.hpp"
#include "quick/context.hpp"
#include "quick/peer_output.hpp"
#include "quick/peer_sections.hpp"

namespace wgx::quick {

namespace {

struct AddpeerOptions {
    std::string name;
    std::vector<std::string> addresses; // empty or {"auto"}: pick
    std::vector<std::string> allowed_ips;
    std::string endpoint;
    std::vector<std::string> dns;
    std::optional<std::uint16_t> keepalive;
    bool psk = false, qr = false;
    std::string output;
};

/// Splits "a, b,c" into words.
std::vector<std::string> words(const std::string& value) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : value + ",") {
        if (c == ',' || c == ' ' || c == '\t') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

Result<AddpeerOptions> parse_options(const std::vector<std::string>& args) {
    AddpeerOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string opt = args[i], value;
        bool inline_value = false;
        if (auto eq = opt.find('='); opt.starts_with("--") && eq != std::string::npos) {
            value = opt.substr(eq + 1);
            opt.resize(eq);
            inline_value = true;
        }
        auto take = [&]() -> Result<std::string> {
            if (inline_value)
                return value;
            if (i + 1 >= args.size())
                return make_error("option " + opt + " needs a value", EINVAL);
            return args[++i];
        };
        if (opt == "--psk" || opt == "--qr") {
            (opt == "--psk" ? o.psk : o.qr) = true;
            continue;
        }
        auto v = take();
        if (!v)
            return v.error();
        if (opt == "--name")
            o.name = *v;
        else if (opt == "--address")
            for (auto& w : words(*v))
                o.addresses.push_back(w);
        else if (opt == "--allowed-ips")
            for (auto& w : words(*v))
                o.allowed_ips.push_back(w);
        else if (opt == "--endpoint")
            o.endpoint = *v;
        else if (opt == "--dns")
            for (auto& w : words(*v))
                o.dns.push_back(w);
        else if (opt == "--keepalive") {
            auto n = parse_decimal<std::uint16_t>(*v);
            if (!n)
                return make_error("--keepalive wants 0 to 65535 seconds, not `" + *v + "'", EINVAL);
            o.keepalive = *n;
        } else if (opt == "--output")
            o.output = *v;
        else
            return make_error("unknown option `" + args[i] + "' (see --help)", EINVAL);
    }
    if (!o.name.empty() && !valid_peer_name(o.name))
        return make_error("--name `" + o.name + "': use 1 to 64 of A-Z a-z 0-9 _ . @ + -", EINVAL);
    return o;
}

/// Every address held in the directory: each config's Address entries and every peer's
/// AllowedIPs. A file that does not parse stops addpeer: its addresses are unknown.
Result<std::vector<IpPrefix>> addresses_in_directory(const std::string& own_path,
                                                     const config::ConfigFile& own) {
    std::string dir = directory_of(own_path);
    std::vector<IpPrefix> taken;
    auto collect = [&](const config::ConfigFile& f) {
        taken.insert(taken.end(), f.quick.addresses.begin(), f.quick.addresses.end());
        for (const auto& p : f.device.peers)
            for (const auto& a : p.allowed_ips)
                taken.push_back(a.prefix);
    };
    collect(own);
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
    if (!d)
        return make_error(dir + ": " + std::strerror(errno), errno);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d.get())) {
        std::string n = e->d_name;
        if (n.size() > 5 && n.ends_with(".conf"))
            names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        std::string path = dir + "/" + n;
        if (path == own_path)
            continue;
        auto f = config::read_config_file(path, config::Mode::quick);
        if (!f)
            return make_error("cannot tell which addresses are free: " + f.error().message,
                              f.error().code);
        collect(*f);
    }
    return taken;
}

/// "host:port" from --endpoint; a bare host gets the server's ListenPort.
Result<std::string> client_endpoint(const std::string& given, const model::Device& server) {
    if (given.empty())
        return make_error("--endpoint HOST[:PORT] is needed: where the client reaches this "
                          "server",
                          EINVAL);
    if (config::split_endpoint(given))
        return given;
    if (!server.listen_port)
        return make_error("--endpoint `" + given + "' has no port and the server has no ListenPort",
                          EINVAL);
    bool v6 = given.find(':') != std::string::npos;
    return (v6 ? "[" + given + "]" : given) + ":" + std::to_string(*server.listen_port);
}

/// The first name "clientN" no section uses.
std::string free_name(const std::vector<PeerSection>& sections) {
    for (unsigned n = 1;; ++n) {
        std::string name = "client" + std::to_string(n);
        if (!find_peer(sections, name))
            return name;
    }
}

/// The client's addresses: given ones checked against what is taken, else the lowest free
/// one of each server subnet (one per subnet, in the order of the Address lines).
Result<std::vector<IpPrefix>> client_addresses(const AddpeerOptions& o,
                                               const config::ConfigFile& server,
                                               const std::vector<IpPrefix>& taken) {
    std::vector<IpPrefix> out;
    bool automatic = o.addresses.empty() || (o.addresses.size() == 1 && o.addresses[0] == "auto");
    if (!automatic) {
        for (const auto& text : o.addresses) {
            auto p = IpPrefix::parse(text);
            if (!p)
                return make_error("--address `" + text + "' is not an address", EINVAL);
            bool host_in_use = std::any_of(taken.begin(), taken.end(), [&](const IpPrefix& t) {
                return t.cidr == t.address.max_prefix() && t.address == p->address;
            });
            if (host_in_use || address_taken(p->address, p->masked(), taken))
                return make_error("--address " + text + " is already in use", EADDRINUSE);
            out.push_back(*p);
        }
        return out;
    }
    if (server.quick.addresses.empty())
        return make_error("the server has no Address: give --address", EINVAL);
    std::vector<IpPrefix> subnets;
    for (const auto& a : server.quick.addresses) {
        if (std::find(subnets.begin(), subnets.end(), a.masked()) != subnets.end())
            continue;
        subnets.push_back(a.masked());
        auto free = lowest_free_address(a, taken);
        if (!free)
            return free.error();
        out.push_back(IpPrefix{*free, a.cidr});
    }
    return out;
}

std::vector<IpPrefix> server_subnets(const config::ConfigFile& server) {
    std::vector<IpPrefix> out;
    for (const auto& a : server.quick.addresses)
        if (std::find(out.begin(), out.end(), a.masked()) == out.end())
            out.push_back(a.masked());
    return out;
}

bool interface_is_up(const std::string& interface) {
    auto devices = ipc::list_devices();
    return devices && std::find(devices->begin(), devices->end(), interface) != devices->end();
}

} // namespace

int cmd_addpeer(Context& ctx) {
    auto opts = parse_options(ctx.options);
    if (!opts)
        return die(ctx, opts.error().message);
    auto lock = lock_config_directory(ctx.config_file);
    if (!lock)
        return die(ctx, lock.error().message);
    // Read again under the lock: another addpeer may have written it since main() read it.
    auto old_text = read_secret_file(ctx.config_file);
    if (!old_text)
        return die(ctx, old_text.error().message);
    auto server = config::read_config_text(*old_text, config::Mode::quick, ctx.config_file);
    if (!server)
        return die(ctx, server.error().message);
    if (!server->device.private_key)
        return die(ctx, ctx.config_file + " has no PrivateKey: the client could not know the "
                                          "server's public key");
    auto lines = split_lines(*old_text);
    auto sections = find_peer_sections(lines);
    NewPeer peer;
    peer.name = opts->name.empty() ? free_name(sections) : opts->name;
    if (find_peer(sections, peer.name))
        return die(ctx, "a peer named `" + peer.name + "' is already in " + ctx.config_file);
    auto taken = addresses_in_directory(ctx.config_file, *server);
    if (!taken)
        return die(ctx, taken.error().message);
    auto addresses = client_addresses(*opts, *server, *taken);
    if (!addresses)
        return die(ctx, addresses.error().message);
    peer.addresses = *addresses;
    auto endpoint = client_endpoint(opts->endpoint, server->device);
    if (!endpoint)
        return die(ctx, endpoint.error().message);
    peer.server_endpoint = *endpoint;
    for (const auto& text : opts->allowed_ips) {
        auto p = IpPrefix::parse(text);
        if (!p)
            return die(ctx, "--allowed-ips `" + text + "' is not a prefix");
        peer.client_allowed_ips.push_back(*p);
    }
    if (peer.client_allowed_ips.empty())
        peer.client_allowed_ips = server_subnets(*server);
    peer.dns = opts->dns;
    if (opts->keepalive)
        peer.keepalive = *opts->keepalive;
    crypto::KernelRandom rng; // two keys at most: no DRBG (libcrypto) to set up for them
    peer.private_key = crypto::generate_private_key(rng);
    peer.public_key = crypto::public_key_of(peer.private_key);
    if (opts->psk)
        peer.preshared_key = crypto::generate_preshared_key(rng);
    peer.server_public_key = crypto::public_key_of(*server->device.private_key);
    if (!opts->output.empty()) {
        char buf[PATH_MAX];
        std::string dir = directory_of(opts->output);
        if (!::realpath(dir.c_str(), buf))
            return die(ctx, "--output " + opts->output + ": " + std::strerror(errno));
        peer.output_path = std::string(buf) + "/" +
                           opts->output.substr(opts->output.rfind('/') == std::string::npos
                                                   ? 0
                                                   : opts->output.rfind('/') + 1);
    }
    SecretString client = client_config_text(peer);

    // The client's file first: if the server's write fails, it is removed again.
    if (!peer.output_path.empty())
        if (auto r = write_file_atomically(peer.output_path, client, 0600); !r)
            return die(ctx, "--output: " + r.error().message);
    auto undo_output = [&] {
        if (!peer.output_path.empty())
            ::unlink(peer.output_path.c_str());
    };
    append_section(lines, server_peer_section(peer));
    if (auto r = write_file_atomically(ctx.config_file, join_lines(lines), 0600); !r) {
        undo_output();
        return die(ctx, "Could not write configuration file: " + r.error().message);
    }
    if (interface_is_up(ctx.interface)) {
        std::string allowed;
        for (const auto& a : server_peer_model(peer).allowed_ips)
            allowed += (allowed.empty() ? "" : ",") + a.prefix.to_string();
        ctx.echo("wg set " + ctx.interface + " peer " + peer.public_key.to_base64() +
                 (peer.preshared_key ? " preshared-key <(...)" : "") + " allowed-ips " + allowed);
        model::Device update;
        update.name = ctx.interface;
        update.peers.push_back(server_peer_model(peer));
        if (auto r = ipc::set_device(update); !r) {
            // Back to the file as it was: a peer in the file but not live would surprise.
            if (auto w = write_file_atomically(ctx.config_file, *old_text, 0600); !w)
                std::fprintf(stderr, "%s: %s\n", ctx.program.c_str(), w.error().message.c_str());
            undo_output();
            return die(ctx, "Unable to modify interface: " + r.error().message);
        }
    }
    std::string where = peer.output_path.empty() ? "" : ", configuration in " + peer.output_path;
    std::string added;
    for (const auto& a : peer.addresses)
        added += " " + a.to_string();
    std::fprintf(stderr, "[#] peer %s:%s%s\n", peer.name.c_str(), added.c_str(), where.c_str());
    if (!peer.output_path.empty() && !opts->qr)
        return 0;
    auto shown = print_client_config(client, opts->qr, current_terminal());
    if (!shown) {
        std::fprintf(stderr, "%s: %s; the peer was added%s\n", ctx.program.c_str(),
                     shown.error().message.c_str(),
                     peer.output_path.empty() ? " (wgx-quick rmpeer to undo)" : "");
        return 1;
    }
    return 0;
}

} // namespace wgx::quick
