#pragma once
// Recognises a tunnel inside the tunnel: an IP packet read from the TUN device that is itself a
// WireGuard datagram (or the first fragment of one). Routing loops look like this from here: the
// encrypted datagrams of this or another WireGuard interface routed back into a tunnel. Such
// datagrams are sent without fragmentation (udp_sockets.hpp), so a looping packet that grows
// on each pass is dropped at the path MTU instead of being split in two, and the loop ends.
#include "base/bytes.hpp"
#include "protocol/device.hpp"

namespace wgx::engine {

/// Whether `ip_packet` (IPv4 or IPv6) is a UDP datagram whose payload is a well-formed
/// WireGuard message, or the first fragment of such a datagram.
bool carries_wireguard(ByteView ip_packet);

/// Whether `datagram`, a transport message still waiting to be sealed (its plaintext in place),
/// carries a WireGuard datagram; false for a sealed datagram (nothing left to inspect).
bool carries_wireguard(const protocol::Output::Datagram& datagram);

} // namespace wgx::engine
