#pragma once
// The TUN device: layer-3 packets without a packet-information header (IFF_TUN | IFF_NO_PI).
// The descriptor stays valid when the link is moved into another network namespace; it reads
// EBADFD once the link is deleted (also by the deletion of the namespace it was moved into).
#include <cstdint>
#include <string>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"
#include "engine/offloads.hpp"

struct iovec;

namespace wgx::engine {

/// wireguard-go's DefaultMTU.
inline constexpr unsigned DEFAULT_MTU = 1420;

/// What the engine needs to know about its link, wherever it lives now.
struct LinkState {
    /// False once the link is gone (deleted, or its namespace destroyed).
    bool exists = true;
    /// IFF_RUNNING, the flag wireguard-go follows (up and the descriptor attached).
    bool up = false;
    unsigned mtu = DEFAULT_MTU;
    /// The index in the namespace the link is in now.
    int ifindex = 0;
    /// True when the link was moved out of the engine's network namespace.
    bool foreign_namespace = false;

    bool operator==(const LinkState&) const = default;
};

class TunDevice {
  public:
    /// Creates (or attaches to) the TUN interface `name` ("wg%d" patterns allowed) and sets its
    /// MTU. With offloads.tun_vnet, asks for IFF_VNET_HDR and checksum/TSO (and USO where the
    /// kernel has it) offloads, falling back to plain packets when the kernel refuses.
    /// Errors name the failing step: "Failed to create TUN device: <strerror>".
    static Result<TunDevice> create(const std::string& name, unsigned mtu,
                                    const Offloads& offloads = {});
    /// Adopts an inherited descriptor (WG_TUN_FD), as wireguard-go does, and sets its MTU; its
    /// offloads are those its IFF_VNET_HDR flag allows.
    static Result<TunDevice> adopt(int fd, unsigned mtu, const Offloads& offloads = {});

    /// True when every read and write carries a virtio-net header (packet/virtio_net_hdr.hpp)
    /// and the kernel may hand over TCP super-packets.
    bool vnet_hdr() const { return vnet_hdr_; }
    /// True when the kernel also hands over and accepts UDP super-packets (GSO_UDP_L4).
    bool uso() const { return uso_; }

    int fd() const { return fd_.get(); }
    /// The kernel's name for the interface (the one given, or the expansion of a pattern).
    const std::string& name() const { return name_; }

    /// Reads one packet; the byte count, or -errno (-EAGAIN when none is waiting).
    long read(MutableByteView buffer);
    /// Writes one packet; 0 or -errno.
    int write(ByteView packet);
    /// Writes one packet gathered from `count` pieces; 0 or -errno.
    int write(const iovec* parts, int count);

    /// Asks the kernel for the link's current state (wherever the link lives now). Never
    /// holds a reference to a foreign namespace beyond this call, so that namespace can die.
    LinkState query();

  private:
    TunDevice(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {}
    /// Negotiates TUNSETOFFLOAD on a descriptor opened with IFF_VNET_HDR.
    void negotiate_offloads(const Offloads& offloads);

    UniqueFd fd_;
    std::string name_;
    bool vnet_hdr_ = false;
    bool uso_ = false;
};

/// Sets a link's MTU in the caller's namespace (SIOCSIFMTU).
Result<void> set_link_mtu(const std::string& ifname, unsigned mtu);

} // namespace wgx::engine
