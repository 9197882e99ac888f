#pragma once
// `wgx doctor`: what is known about an interface and its peers (the facts, gathered by
// doctor_facts.cpp) and what is wrong with them (the findings, by doctor_checks.cpp, pure).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/named_device.hpp"

namespace wgx::cli {

enum class Severity { ok, note, warning, problem };

/// One line of the diagnosis.
struct Finding {
    Severity severity = Severity::ok;
    std::string interface;
    /// The peer's name, else its key; empty for the interface or the host.
    std::string peer;
    /// A stable identifier of the check ("handshake-never", "mtu", ...), for scripts.
    std::string check;
    std::string evidence;
    /// The command (or action) that fixes it; empty for ok lines.
    std::string fix;
};

/// Where one peer's endpoint leaves the host.
struct EndpointRoute {
    std::string device;     // "" when there is no route
    unsigned mtu = 0;       // the route's MTU, else the device's
    bool into_self = false; // the endpoint is routed into the WireGuard interface itself
};

/// Where an allowed prefix of a peer is routed by the kernel.
struct AllowedRoute {
    std::string peer;
    IpPrefix prefix;
    std::string device; // "" when unreachable
};

struct InterfaceFacts {
    std::string name;
    bool exists = false, up = false;
    unsigned mtu = 0;
    std::vector<IpPrefix> addresses;
    /// Two samples `seconds` apart (names in `after`).
    model::Device before;
    NamedDevice after;
    double seconds = 1;
    bool port_bound = true;
    /// The link's received packets and its rx_frame_errors at both samples (the kernel module
    /// counts in rx_frame_errors, device-wide, the packets it drops because their inner source
    /// is outside the sending peer's allowed IPs; they are not in the peer's rx).
    std::uint64_t link_rx_before = 0, link_rx_after = 0;
    std::uint64_t rx_frame_errors_before = 0, rx_frame_errors_after = 0;
    bool kernel = false; // served by the kernel module (no UAPI socket)
    /// wgx-engine's counts of packets dropped for an inner source outside the sending peer's
    /// allowed IPs, per peer public key (base64), at both samples (absent for implementations
    /// without wgx's counters request).
    std::optional<std::map<std::string, std::uint64_t>> source_drops_before, source_drops_after;
    /// Per peer public key (base64): the route of its endpoint, looked up with the fwmark.
    std::vector<std::pair<std::string, EndpointRoute>> endpoint_routes;
    std::vector<AllowedRoute> allowed_routes;
};

struct HostFacts {
    bool ipv4_forwarding = false, ipv6_forwarding = false;
    bool ipv6_disabled = false;
    /// A device other than a WireGuard one through which a global IPv6 address is routed.
    std::string ipv6_route_outside;
};

struct DoctorOptions {
    std::chrono::seconds stale_after{180};
    std::time_t now = 0;
    /// --peer: only this peer's findings (name or base64 key); empty for all.
    std::string peer;
};

/// The findings for one interface.
std::vector<Finding> diagnose(const InterfaceFacts& facts, const HostFacts& host,
                              const DoctorOptions& options);

/// 0 when every finding is ok or a note, 1 with warnings, 2 with problems.
int doctor_exit_code(const std::vector<Finding>& findings);
std::string_view severity_word(Severity s);
/// One line per finding: "problem  wg0 peer laptop: EVIDENCE; fix: FIX".
std::string format_findings(const std::vector<Finding>& findings);
std::string format_findings_json(const std::vector<Finding>& findings);

/// An address standing for `prefix` in a route lookup: one inside it that is neither its
/// network address (nor, for /0, the unspecified address, which the kernel routes locally).
IpAddress probe_address(const IpPrefix& prefix);

} // namespace wgx::cli
