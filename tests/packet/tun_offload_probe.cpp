// System test (root, a private network namespace): the kernel's side of the userspace
// offloads. A TUN device opened with IFF_VNET_HDR and every offload gets
//  - UDP_L4 super-packets built by Coalescer: a local UDP socket must receive each datagram;
//  - TCPV4/TCPV6 super-packets built by Coalescer (flags 0, no listener): the kernel must
//    answer one RST|ACK acknowledging the whole super-packet, so it took it as one packet;
// and the kernel's own TSO output (a TCP connection towards the TUN) is split(): every segment's
// IPv4 header and TCP checksums verify and the payload is what the socket sent.
// Exit 77 (skipped) without root, namespaces or /dev/net/tun; without USO (Linux < 6.2)
// only the TCP half runs.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "packet/coalescing.hpp"
#include "packet/ip_header.hpp"
#include "packet/segmentation.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;
namespace T = wgx::testing;

namespace {

constexpr unsigned TUN_F_USO4_ = 0x20; // Linux 6.2; Debian 12's headers lack them
constexpr unsigned TUN_F_USO6_ = 0x40;
constexpr int SKIP = 77;

void require_at(bool ok, const char* what, int line) {
    if (!ok) {
        std::printf("FAIL line %d: %s\n", line, what);
        std::exit(1);
    }
}
#define REQUIRE(ok) require_at((ok), #ok, __LINE__)

void skip(const char* why) {
    std::printf("SKIP: %s\n", why);
    std::exit(SKIP);
}

struct Endpoints {
    int version;
    T::PacketSpec spec; // addresses: the far side (.2) towards us (.1)
    sockaddr_storage local{}, remote{};
    socklen_t len = 0;
};

Endpoints endpoints(int version, std::uint16_t local_port, std::uint16_t remote_port) {
    Endpoints e{version, {}, {}, {}, 0};
    e.spec.version = version;
    if (version == 4) {
        e.spec.src = {192, 0, 2, 2};
        e.spec.dst = {192, 0, 2, 1};
        auto* l = reinterpret_cast<sockaddr_in*>(&e.local);
        auto* r = reinterpret_cast<sockaddr_in*>(&e.remote);
        l->sin_family = r->sin_family = AF_INET;
        l->sin_port = htons(local_port);
        r->sin_port = htons(remote_port);
        inet_pton(AF_INET, "192.0.2.1", &l->sin_addr);
        inet_pton(AF_INET, "192.0.2.2", &r->sin_addr);
        e.len = sizeof(sockaddr_in);
    } else {
        e.spec.src = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
        e.spec.dst = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        auto* l = reinterpret_cast<sockaddr_in6*>(&e.local);
        auto* r = reinterpret_cast<sockaddr_in6*>(&e.remote);
        l->sin6_family = r->sin6_family = AF_INET6;
        l->sin6_port = htons(local_port);
        r->sin6_port = htons(remote_port);
        inet_pton(AF_INET6, "fd00::1", &l->sin6_addr);
        inet_pton(AF_INET6, "fd00::2", &r->sin6_addr);
        e.len = sizeof(sockaddr_in6);
    }
    e.spec.sport = remote_port;
    e.spec.dport = local_port;
    return e;
}

void write_batch(int tun, Coalescer& c, std::uint8_t expected_gso_type) {
    auto writes = c.finish();
    REQUIRE(writes.size() == 1);
    REQUIRE(consume_virtio_net_hdr(writes[0].parts[0]).gso_type == expected_gso_type);
    std::vector<iovec> iov;
    std::size_t total = 0;
    for (auto p : writes[0].parts) {
        iov.push_back({const_cast<std::uint8_t*>(p.data()), p.size()});
        total += p.size();
    }
    REQUIRE(writev(tun, iov.data(), int(iov.size())) == ssize_t(total));
}

// The next TCP packet of `version` from the TUN with any of `flags`, within ~2 s per read.
bool read_tcp(int tun, int version, std::uint8_t flags, VirtioNetHdr& hdr,
              std::vector<std::uint8_t>& packet) {
    std::vector<std::uint8_t> buf(70000);
    for (int tries = 0; tries < 50; ++tries) {
        pollfd p{tun, POLLIN, 0};
        if (poll(&p, 1, 2000) <= 0)
            return false;
        ssize_t n = read(tun, buf.data(), buf.size());
        if (n < ssize_t(VIRTIO_NET_HDR_SIZE))
            continue;
        hdr = consume_virtio_net_hdr(buf);
        packet.assign(buf.begin() + VIRTIO_NET_HDR_SIZE, buf.begin() + n);
        auto l = parse_ip_packet(packet);
        if (l && l->ip_version == version && l->is_tcp() &&
            (packet[l->ip_header_len + TCP_FLAGS] & flags))
            return true;
    }
    return false;
}

void udp_super_packet_is_delivered(int tun, int version) {
    auto e = endpoints(version, 5555, 4444);
    int s = socket(e.local.ss_family, SOCK_DGRAM, 0);
    REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&e.local), e.len) == 0);
    e.spec.protocol = IP_PROTO_UDP;
    std::vector<T::PacketBytes> packets;
    for (int i = 0; i < 5; ++i)
        packets.push_back(
            T::craft_packet(e.spec, T::pattern_payload(i == 4 ? 500 : 1000, std::uint8_t(i))));
    Coalescer c(CoalesceOptions{.udp = true});
    for (auto& p : packets)
        c.add(p);
    write_batch(tun, c, VIRTIO_NET_HDR_GSO_UDP_L4);
    for (int i = 0; i < 5; ++i) {
        std::vector<std::uint8_t> got(3000);
        pollfd p{s, POLLIN, 0};
        REQUIRE(poll(&p, 1, 2000) == 1);
        ssize_t n = recv(s, got.data(), got.size(), 0);
        REQUIRE(n > 0);
        got.resize(std::size_t(n));
        REQUIRE(got == T::pattern_payload(i == 4 ? 500 : 1000, std::uint8_t(i)));
    }
    close(s);
    std::printf("ok: UDPv%d super-packet of 5 datagrams delivered one by one\n", version);
}

void tcp_super_packet_is_one_packet(int tun, int version) {
    auto e = endpoints(version, 6666, 4444);
    e.spec.flags = 0; // no ACK: the RST then acknowledges everything it received
    e.spec.seq = 1000000;
    e.spec.tcp_options = T::timestamps_option(1, 0);
    Coalescer c;
    std::vector<T::PacketBytes> packets;
    for (std::uint32_t i = 0; i < 10; ++i) {
        auto spec = e.spec;
        spec.seq += 1380 * i;
        packets.push_back(T::craft_packet(spec, T::pattern_payload(1380)));
    }
    for (auto& p : packets)
        c.add(p);
    write_batch(tun, c, version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6);
    VirtioNetHdr hdr;
    std::vector<std::uint8_t> rst;
    REQUIRE(read_tcp(tun, version, TCP_RST, hdr, rst));
    const std::size_t hl = version == 4 ? 20 : 40;
    REQUIRE(T::get32(&rst[hl + TCP_ACK]) == e.spec.seq + 10 * 1380);
    std::printf("ok: TCPv%d super-packet of 10 segments acknowledged as one\n", version);
}

void kernel_tso_output_splits(int tun, int version) {
    auto e = endpoints(version, 0, 7777);
    int s = socket(e.local.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(s, reinterpret_cast<sockaddr*>(&e.remote), e.len); // EINPROGRESS
    VirtioNetHdr hdr;
    std::vector<std::uint8_t> syn;
    REQUIRE(read_tcp(tun, version, TCP_SYN, hdr, syn));
    const std::size_t hl = version == 4 ? 20 : 40;
    auto spec = e.spec;
    spec.dport = T::get16(&syn[hl + 0]);
    spec.seq = 5000;
    spec.ack = T::get32(&syn[hl + TCP_SEQ]) + 1;
    spec.flags = TCP_SYN | TCP_ACK_FLAG;
    spec.window = 65535;
    spec.tcp_options = {2, 4, 0x05, 0x64}; // MSS 1380
    auto synack = T::craft_packet(spec, {});
    synack.insert(synack.begin(), VIRTIO_NET_HDR_SIZE, 0);
    REQUIRE(write(tun, synack.data(), synack.size()) == ssize_t(synack.size()));

    std::vector<std::uint8_t> data(65536);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = std::uint8_t(i * 13 + (i >> 9));
    pollfd p{s, POLLOUT, 0};
    REQUIRE(poll(&p, 1, 2000) == 1);
    REQUIRE(send(s, data.data(), data.size(), 0) > 0);

    // The initial window (10 segments) arrives as TSO super-packets.
    std::size_t got = 0;
    bool saw_gso = false;
    std::vector<std::uint8_t> packet, area(128 * 2048);
    std::vector<std::size_t> sizes(128);
    while (got < 10 * 1380 && read_tcp(tun, version, TCP_ACK_FLAG, hdr, packet)) {
        int n = split(hdr, packet, {area.data(), 2048, 2048, 128, sizes.data()});
        REQUIRE(n >= 1);
        REQUIRE(segment_count(hdr, packet) == n);
        saw_gso |= hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE;
        for (int i = 0; i < n; ++i) {
            const std::uint8_t* seg = area.data() + std::size_t(i) * 2048;
            const std::size_t size = sizes[std::size_t(i)];
            REQUIRE(T::ip_header_checksum_ok(seg));
            REQUIRE(T::l4_checksum_ok(seg, size));
            auto l = parse_ip_packet(ByteView(seg, size));
            REQUIRE(l && got + l->payload_len() <= data.size());
            REQUIRE(std::equal(seg + l->header_len(), seg + size, data.begin() + long(got)));
            got += l->payload_len();
        }
    }
    REQUIRE(saw_gso);
    REQUIRE(got >= 10 * 1380);
    close(s);
    std::printf("ok: TCPv%d TSO output of the kernel split into %zu valid payload bytes\n", version,
                got);
}

} // namespace

int main() {
    if (geteuid() != 0)
        skip("needs root (a network namespace and a TUN device)");
    if (unshare(CLONE_NEWNET) != 0)
        skip("cannot create a network namespace");
    int tun = open("/dev/net/tun", O_RDWR);
    if (tun < 0)
        skip("no /dev/net/tun");
    ifreq ifr{};
    std::strcpy(ifr.ifr_name, "wgxoff0");
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
    REQUIRE(ioctl(tun, TUNSETIFF, &ifr) == 0);
    // Without USO (Linux < 6.2) the TCP half still runs.
    const unsigned tcp_offloads = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
    const bool uso = ioctl(tun, TUNSETOFFLOAD, tcp_offloads | TUN_F_USO4_ | TUN_F_USO6_) == 0;
    if (!uso)
        REQUIRE(ioctl(tun, TUNSETOFFLOAD, tcp_offloads) == 0);
    // The namespace is this process's own: it and its addresses vanish when the test exits.
    REQUIRE(std::system("ip link set lo up && ip addr add 192.0.2.1/24 dev wgxoff0 && "
                        "ip -6 addr add fd00::1/64 dev wgxoff0 nodad && "
                        "ip link set wgxoff0 up") == 0);
    for (int version : {4, 6}) {
        if (uso)
            udp_super_packet_is_delivered(tun, version);
        else
            std::printf("not run: UDPv%d super-packets (the kernel has no USO for TUN)\n", version);
        tcp_super_packet_is_one_packet(tun, version);
        kernel_tso_output_splits(tun, version);
    }
    return 0;
}
