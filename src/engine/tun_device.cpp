#include "engine/tun_device.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <fmt/format.h>

#ifndef TUNGETDEVNETNS
#define TUNGETDEVNETNS _IO('T', 227)
#endif
// Linux 6.2's UDP segmentation offload for TUN; Debian 12's headers predate it.
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

namespace wgx::engine {
namespace {

Error tun_error(int err) {
    return make_error(fmt::format("Failed to create TUN device: {}", std::strerror(err)), err);
}

Result<std::string> tun_name(int fd) {
    ifreq ifr{};
    if (::ioctl(fd, TUNGETIFF, &ifr) < 0)
        return make_error(fmt::format("Failed to get name of TUN device: {}", std::strerror(errno)),
                          errno);
    return std::string(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));
}

bool copy_ifname(ifreq& ifr, const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ)
        return false;
    std::memcpy(ifr.ifr_name, name.data(), name.size());
    return true;
}

/// The inode of a network namespace: equal inodes, same namespace.
ino_t namespace_inode(int ns_fd) {
    struct stat st {};
    return ::fstat(ns_fd, &st) == 0 ? st.st_ino : 0;
}

ino_t own_namespace_inode() {
    struct stat st {};
    return ::stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

/// A datagram socket created inside the namespace `ns_fd` (for interface ioctls there): enter,
/// create, come back. Sockets keep the namespace they were created in.
UniqueFd socket_in_namespace(int ns_fd) {
    UniqueFd home(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!home || ::setns(ns_fd, CLONE_NEWNET) < 0)
        return UniqueFd();
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (::setns(home.get(), CLONE_NEWNET) < 0) {
        // Cannot happen with the capability that let us leave; carrying on in the wrong
        // namespace would bind the UDP sockets there, so stop here.
        std::abort();
    }
    return s;
}

} // namespace

Result<void> set_link_mtu(const std::string& ifname, unsigned mtu) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    if (!s || !copy_ifname(ifr, ifname))
        return make_error("Failed to set MTU of TUN device: Invalid argument", EINVAL);
    ifr.ifr_mtu = int(mtu);
    if (::ioctl(s.get(), SIOCSIFMTU, &ifr) < 0)
        return make_error(fmt::format("Failed to set MTU of TUN device: {}", std::strerror(errno)),
                          errno);
    return {};
}

Result<TunDevice> TunDevice::create(const std::string& name, unsigned mtu,
                                    const Offloads& offloads) {
    ifreq ifr{};
    if (!copy_ifname(ifr, name))
        return make_error(
            fmt::format("Failed to create TUN device: Interface name too long: {}", name),
            ENAMETOOLONG);
    UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK));
    if (!fd) {
        int err = errno;
        if (err == ENOENT)
            return make_error("Failed to create TUN device: /dev/net/tun does not exist", err);
        return tun_error(err);
    }
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (offloads.tun_vnet ? IFF_VNET_HDR : 0);
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0) {
        int err = errno;
        if (!offloads.tun_vnet)
            return tun_error(err);
        ifr.ifr_flags = IFF_TUN | IFF_NO_PI; // a kernel without virtio headers on TUN
        if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0)
            return tun_error(errno);
    }
    return adopt(fd.release(), mtu, offloads);
}

void TunDevice::negotiate_offloads(const Offloads& offloads) {
    ifreq ifr{};
    vnet_hdr_ = false;
    uso_ = false;
    if (::ioctl(fd_.get(), TUNGETIFF, &ifr) < 0 || !(ifr.ifr_flags & IFF_VNET_HDR))
        return;
    unsigned base = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    if (!offloads.tun_vnet) {
        // An inherited descriptor with virtio headers that we may not use for offloads: keep
        // the headers (they cannot be switched off) but ask for plain packets.
        ::ioctl(fd_.get(), TUNSETOFFLOAD, 0u);
        vnet_hdr_ = true;
        return;
    }
    if (offloads.tun_uso &&
        ::ioctl(fd_.get(), TUNSETOFFLOAD, base | TUN_F_USO4 | TUN_F_USO6) == 0) {
        vnet_hdr_ = uso_ = true;
        return;
    }
    if (::ioctl(fd_.get(), TUNSETOFFLOAD, base) == 0) {
        vnet_hdr_ = true;
        return;
    }
    ::ioctl(fd_.get(), TUNSETOFFLOAD, 0u);
    vnet_hdr_ = true; // headers on every packet, but never a super-packet
}

Result<TunDevice> TunDevice::adopt(int raw_fd, unsigned mtu, const Offloads& offloads) {
    UniqueFd fd(raw_fd);
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK) < 0)
        return tun_error(errno);
    ::fcntl(fd.get(), F_SETFD, FD_CLOEXEC);
    auto name = tun_name(fd.get());
    if (!name)
        return name.error();
    if (auto r = set_link_mtu(*name, mtu); !r)
        return r.error();
    TunDevice tun(std::move(fd), std::move(*name));
    tun.negotiate_offloads(offloads);
    return tun;
}

long TunDevice::read(MutableByteView buffer) {
    ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    return n < 0 ? -long(errno) : long(n);
}

int TunDevice::write(const iovec* parts, int count) {
    ssize_t n = ::writev(fd_.get(), parts, count);
    return n < 0 ? -errno : 0;
}

int TunDevice::write(ByteView packet) {
    ssize_t n = ::write(fd_.get(), packet.data(), packet.size());
    return n < 0 ? -errno : 0;
}

LinkState TunDevice::query() {
    LinkState state;
    // A detached descriptor (link deleted) answers EBADFD to every TUN ioctl.
    auto name = tun_name(fd_.get());
    if (!name) {
        state.exists = name.error().code != EBADFD;
        return state;
    }
    name_ = *name;

    UniqueFd ns(::ioctl(fd_.get(), TUNGETDEVNETNS));
    UniqueFd s;
    if (ns && namespace_inode(ns.get()) != own_namespace_inode()) {
        state.foreign_namespace = true;
        s = socket_in_namespace(ns.get());
    } else {
        s = UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    }
    ns.reset(); // never keep a foreign namespace alive
    if (!s)
        return state;

    ifreq ifr{};
    copy_ifname(ifr, name_);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) == 0)
        state.up = (ifr.ifr_flags & IFF_RUNNING) != 0;
    if (::ioctl(s.get(), SIOCGIFMTU, &ifr) == 0)
        state.mtu = unsigned(ifr.ifr_mtu);
    if (::ioctl(s.get(), SIOCGIFINDEX, &ifr) == 0)
        state.ifindex = ifr.ifr_ifindex;
    return state;
}

} // namespace wgx::engine
