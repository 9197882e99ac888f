#pragma once
// The wg(8) configuration format, and wg-quick(8)'s extra [Interface] keys, read one line at a
// time (so it can be fuzzed and fed from anywhere). Accepts exactly what wg setconf and
// wg-quick accept and rejects what they reject, with wg's wording prefixed by "FILE:LINE: ".
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <netdb.h>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "base/secret_string.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// Which grammar a file is read with.
enum class Mode {
    /// wg setconf/addconf/syncconf: only wg's keys; a wg-quick key is "Line unrecognized".
    wg,
    /// wg-quick: Address, DNS, MTU, Table, PreUp, PostUp, PreDown, PostDown and SaveConfig are
    /// taken out of [Interface] (wg-quick's own matching rules) before the rest goes to wg.
    /// wgx-quick's own keys are compiled into wg's: PrivateKeyFile (-> PrivateKey), and in
    /// [Peer] PresharedKeyFile (-> PresharedKey) and ExcludedIPs (cut out of AllowedIPs).
    quick,
};

/// The wg-quick(8) keys of an [Interface] section, values as wg-quick keeps them.
struct QuickSettings {
    /// Address lines, split on commas/whitespace; "10.0.0.1" (no /) means /32 (/128 for v6).
    std::vector<IpPrefix> addresses;
    /// DNS entries that look like addresses (wg-quick: ^[0-9.]+$ or containing ':').
    std::vector<std::string> dns;
    /// The other DNS entries: search domains.
    std::vector<std::string> dns_search;
    std::optional<std::uint32_t> mtu;
    /// "off", "auto", a number or a routing table name, unchecked (as wg-quick).
    std::optional<std::string> table;
    /// Hook commands in file order, exactly as written after '=' (trimmed, comment cut).
    std::vector<std::string> pre_up, post_up, pre_down, post_down;
    /// SaveConfig = true|false (case-insensitive); false when absent.
    bool save_config = false;
    /// wgx-quick's Masquerade = auto | IFACE: NAT of what comes out of the tunnel, leaving by
    /// IFACE ("auto": the interface of the IPv4 default route at up).
    std::optional<std::string> masquerade;
    /// wgx-quick's Forward = true|false: IP forwarding on while the interface is up.
    bool forward = false;
};

/// The result of reading one file.
struct ConfigFile {
    /// wg's part: device keys and peers. Every [Peer] has replace_allowed_ips set (as wg does).
    /// replace_peers is NOT set: setconf/syncconf callers set it, addconf leaves it.
    /// Endpoints given by host name are left in Peer::endpoint_host (see resolve_endpoints).
    model::Device device;
    /// Mode::quick only: the wg-quick keys.
    QuickSettings quick;
    /// Mode::quick only: the lines wg-quick hands to wg, each trimmed of leading and trailing
    /// spaces/tabs as bash's `read -r` does (comments and blank lines kept).
    /// They include the PrivateKey and PresharedKey lines, hence wiping memory.
    std::vector<SecretString> wg_lines;
    /// Warnings wg prints while parsing ("Warning: AllowedIP has nonzero host part: ..."), in
    /// order; the caller prints them to stderr.
    std::vector<std::string> warnings;

    /// `wg-quick strip` output: every wg line followed by '\n', then one more '\n'.
    SecretString stripped() const;
};

/// How endpoint names are resolved; injectable so tests run on a virtual clock.
struct ResolveOptions {
    /// Retries on temporary failures: WG_ENDPOINT_RESOLUTION_RETRIES (default 15), -1 = infinity.
    int retries = 15;
    /// Waits between attempts (default: really sleeps). The delay starts at 1 s and grows by
    /// 6/5 each time, capped at 20 s, as wg does.
    std::function<void(std::chrono::microseconds)> sleep;
    /// Receives "<reason>: `host:port'. Trying again in 1.20 seconds..." (default: stderr).
    std::function<void(const std::string&)> warn;
    /// getaddrinfo(host, port, hints, result); default: ::getaddrinfo.
    std::function<int(const char*, const char*, const addrinfo*, addrinfo**)> getaddrinfo;
};

/// A line-fed reader. Feed every line (with or without its trailing '\n'), then finish().
/// After an error the reader is spent: nothing of the file is to be applied.
class ConfigReader {
  public:
    /// `source` names the input in errors ("wg0.conf:3: Line unrecognized: `Foo=bar'").
    explicit ConfigReader(Mode mode = Mode::wg, std::string source = "(stdin)");
    /// With `resolve`, endpoint names are resolved as their line is read, as wg setconf does
    /// (so a failure is reported before later lines are looked at, with SOURCE:LINE); without
    /// it they wait in Peer::endpoint_host for resolve_endpoints(). `resolve` must outlive
    /// the reader.
    ConfigReader(Mode mode, std::string source, const ResolveOptions* resolve);

    /// With `strict`, what is otherwise a warning wg would not give (an AllowedIPs prefix
    /// that moves from one peer to a later one) is an error.
    void set_strict(bool strict) { strict_ = strict; }

    /// Parses one line. Error::message = "SOURCE:LINE: <wg's message>", code EINVAL.
    Result<void> feed_line(std::string_view line);
    /// Checks what needs the whole file ("A peer is missing a public key") and returns it.
    Result<ConfigFile> finish();

    /// 1-based number of the last line fed.
    unsigned line_number() const { return line_; }

  private:
    Result<void> wg_line(std::string_view line);
    Result<void> quick_line(std::string_view raw, bool& consumed);
    /// wgx-quick's own [Peer] keys (ExcludedIPs, PresharedKeyFile).
    Result<void> quick_peer_line(std::string_view key, std::string_view value, bool& consumed);
    /// A key file path as written, relative ones taken from the config file's directory.
    std::string beside_config(std::string_view path) const;
    Result<model::Key> read_key_named(std::string_view path) const;
    /// Compiles each peer's ExcludedIPs into its AllowedIPs (model and wg lines).
    void apply_exclusions();
    /// A prefix given to two peers goes to the later one, silently in wg: say so, with both
    /// lines (an error when strict).
    Result<void> check_moved_prefixes();
    /// "Line unrecognized", with a hint when wg's grammar meets a wg-quick key.
    Error unrecognized(std::string_view line) const;
    Error fail(std::string message) const;

    /// What a [Peer] carries beyond wg's model while the file is read (Mode::quick).
    struct PeerExtras {
        std::vector<IpPrefix> excluded;
        bool has_exclusions = false;
        bool psk_from_file = false;
        std::vector<std::size_t> allowed_lines; // indices into wg_lines
        std::vector<unsigned> allowed_ip_lines; // the line of each Peer::allowed_ips entry
    };

    Mode mode_;
    std::string source_;
    const ResolveOptions* resolve_ = nullptr;
    unsigned line_ = 0;
    bool failed_ = false;
    bool in_interface_ = false; // wg's notion of the current section
    bool in_peer_ = false;
    bool quick_interface_ = false;     // wg-quick's notion (it matches sections differently)
    std::vector<unsigned> peer_lines_; // line of each [Peer], for "missing a public key"
    std::vector<bool> peer_has_key_;
    std::vector<PeerExtras> peer_extras_;
    bool private_key_from_file_ = false;
    bool strict_ = false;
    ConfigFile out_;
};

/// Reads a whole file with a ConfigReader. A missing/unreadable file gives
/// "SOURCE: <strerror>" with the errno in Error::code.
/// `resolve`: see ConfigReader.
/// `strict`: see ConfigReader::set_strict.
Result<ConfigFile> read_config_file(const std::string& path, Mode mode,
                                    const ResolveOptions* resolve = nullptr, bool strict = false);
/// Reads text held in memory (split on '\n'; a last line without '\n' counts).
Result<ConfigFile> read_config_text(std::string_view text, Mode mode, std::string source,
                                    const ResolveOptions* resolve = nullptr, bool strict = false);

/// Parses WG_ENDPOINT_RESOLUTION_RETRIES (nullptr = unset = 15; "infinity" = -1).
/// Error: "Unable to parse WG_ENDPOINT_RESOLUTION_RETRIES: `x'".
Result<int> parse_resolution_retries(const char* env_value);
/// ResolveOptions with retries from the environment and real sleep/stderr/getaddrinfo.
Result<ResolveOptions> default_resolve_options();

/// Resolves one "host:port" / "[host]:port" with wg's retry policy.
Result<Endpoint> resolve_endpoint(const std::string& value, const ResolveOptions& options);
/// Resolves every Peer::endpoint_host into Peer::endpoint (first address getaddrinfo gives,
/// as wg does) and clears endpoint_host. Permanent failures (EAI_NONAME, EAI_FAIL, EAI_NODATA)
/// fail at once; others are retried per `options`. Error: "<gai_strerror>: `host:port'".
Result<void> resolve_endpoints(model::Device& device, const ResolveOptions& options);
/// Same with default_resolve_options().
Result<void> resolve_endpoints(model::Device& device);

} // namespace wgx::config
