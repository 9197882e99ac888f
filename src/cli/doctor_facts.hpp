#pragma once
// Gathering what `wgx doctor` judges: the link, its addresses, two samples of the device one
// interval apart, the routes of endpoints and allowed IPs, and the host's sysctls.
#include <chrono>
#include <string>

#include "base/result.hpp"
#include "cli/doctor_findings.hpp"
#include "netlink/socket.hpp"

namespace wgx::cli {

/// The facts about `interface`; `exists` false when it is not a WireGuard interface.
InterfaceFacts gather_interface(netlink::Socket& sock, const std::string& interface,
                                std::chrono::milliseconds interval);
/// The host's forwarding and IPv6 state; `wireguard` names the WireGuard interfaces.
HostFacts gather_host(netlink::Socket& sock, const std::vector<std::string>& wireguard);

} // namespace wgx::cli
