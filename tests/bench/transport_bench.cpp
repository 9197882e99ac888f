// Transport data through the protocol core on one core: Device a seals IP packets read from its
// "TUN" into datagrams, Device b opens them and checks the inner source against a's allowed IPs.
// Inner packets of 64 and 1420 bytes; reported as Gbit/s of inner packets for each half and for
// the round trip through both. Run by tools/bench (tools/bench.d/micro.sh), never by ctest.
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench/cpu_clock.hpp"
#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"
#include "support/fake_random.hpp"

using namespace wgx;
using namespace wgx::protocol;
using Clock = bench::CpuClock;

namespace {

Bytes ipv4_packet(std::size_t size) {
    Bytes p(size, 0xab);
    std::fill(p.begin(), p.begin() + 20, 0);
    p[0] = 0x45;
    p[2] = std::uint8_t(size >> 8);
    p[3] = std::uint8_t(size);
    p[8] = 64;
    p[9] = 253;
    p[12] = 10, p[15] = 1; // 10.0.0.1 -> 10.0.0.2
    p[16] = 10, p[19] = 2;
    return p;
}

} // namespace

int main() {
    test::FakeRandom keys(1), ra(2), rb(3);
    Device a(ra), b(rb);
    Key ka = crypto::generate_private_key(keys), kb = crypto::generate_private_key(keys);
    Key pa = crypto::public_key_of(ka), pb = crypto::public_key_of(kb);
    a.set_private_key(ka);
    b.set_private_key(kb);
    a.add_peer(pb);
    b.add_peer(pa);
    a.add_allowed_ip(pb, *IpPrefix::parse("10.0.0.2/32"));
    b.add_allowed_ip(pa, *IpPrefix::parse("10.0.0.1/32"));
    const Endpoint a_at = *Endpoint::parse("192.0.2.1:51820");
    const Endpoint b_at = *Endpoint::parse("192.0.2.2:51820");
    a.set_endpoint(pb, b_at);
    b.set_endpoint(pa, a_at);
    Now now{MonoTime(std::chrono::hours(1000)), WallTime(std::chrono::seconds(1767225600))};
    Output out_a, out_b;
    a.set_up(true, now, out_a);
    b.set_up(true, now, out_b);

    // Handshake: the first packet makes a initiate; shuttle datagrams until b delivers it.
    out_a.clear();
    a.on_tun_packet(ipv4_packet(64), now, out_a);
    for (int step = 0; step < 4; ++step) {
        out_b.clear();
        for (const auto& d : out_a.datagrams())
            b.on_datagram(d.bytes, a_at, now, out_b);
        out_a.clear();
        for (const auto& d : out_b.datagrams())
            a.on_datagram(d.bytes, b_at, now, out_a);
    }
    std::vector<double> gbits;
    for (std::size_t size : {std::size_t(64), std::size_t(1420)}) {
        const Bytes packet = ipv4_packet(size);
        double seal_s = 0, open_s = 0;
        std::uint64_t n = 0;
        constexpr int BATCH = 256;
        // Bounded: about 2 s of timed work, at most 20M packets.
        while (seal_s + open_s < 2.0 && n < 20'000'000) {
            out_a.clear();
            auto t = Clock::now();
            for (int i = 0; i < BATCH; ++i)
                a.on_tun_packet(packet, now, out_a);
            auto t2 = Clock::now();
            out_b.clear();
            for (const auto& d : out_a.datagrams())
                b.on_datagram(d.bytes, a_at, now, out_b);
            auto t3 = Clock::now();
            seal_s += std::chrono::duration<double>(t2 - t).count();
            open_s += std::chrono::duration<double>(t3 - t2).count();
            if (out_a.datagrams().size() != BATCH || out_b.tun_packets().size() != BATCH) {
                std::fprintf(stderr, "transport bench: %zu sealed, %zu opened of %d\n",
                             out_a.datagrams().size(), out_b.tun_packets().size(), BATCH);
                return 1;
            }
            n += BATCH;
        }
        double bits = double(n) * double(size) * 8;
        std::printf("transport %4zu B: seal %.2f Gbit/s (%.2f Mpps), open %.2f Gbit/s (%.2f "
                    "Mpps), seal+open %.2f Gbit/s\n",
                    size, bits / seal_s / 1e9, double(n) / seal_s / 1e6, bits / open_s / 1e9,
                    double(n) / open_s / 1e6, bits / (seal_s + open_s) / 1e9);
        gbits.push_back(bits / (seal_s + open_s) / 1e9);
    }
    std::printf("result seal_open_64_gbps=%.3f seal_open_1420_gbps=%.3f\n", gbits[0], gbits[1]);
}
