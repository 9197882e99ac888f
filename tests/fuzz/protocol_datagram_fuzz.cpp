// libFuzzer harness: the protocol's datagram intake (Device::on_datagram) against devices with
// peers and live sessions (fuzz_tunnel.hpp). The input is a small program of steps: raw
// datagrams, real messages of all four types with bytes flipped, truncated or extended, time
// passing, load switched on and off, and data sent from either TUN side. Whatever a device
// answers is delivered to the other one.
// Properties: no crash or sanitizer report; a device never writes to its TUN a packet whose
// inner source address is not among the sending peer's allowed IPs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_tunnel.hpp"

using namespace wgx;
using namespace wgx::fuzz;

namespace {

const std::vector<Template>& templates() {
    static const std::vector<Template> t = [] {
        std::vector<Template> v;
        FuzzTunnel setup(&v);
        return v;
    }();
    return t;
}

const Endpoint& source(FuzzTunnel& t, std::size_t to_node, std::uint8_t choice) {
    static const Endpoint stranger = endpoint("203.0.113.9:4000");
    static const Endpoint roamed_v6 = endpoint("[fd00::99]:51821");
    switch (choice % 4) {
    case 0:
    case 1:
        return t.link.address(to_node == t.na ? t.nb : t.na);
    case 2:
        return stranger;
    default:
        return roamed_v6;
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)templates();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& real = templates();
    FuzzTunnel t;
    InputReader in(data, size);
    for (int step = 0; step < 64 && !in.done(); ++step) {
        std::uint8_t op = in.byte();
        switch (op % 6) {
        case 0: { // a raw datagram
            std::size_t node = (op >> 3) & 1;
            auto from = source(t, node, op >> 4);
            t.deliver(node, in.bytes(in.u16() % 2048), from);
            break;
        }
        case 1: { // a real message, edited
            const Template& m = real[in.byte() % real.size()];
            Bytes bytes = m.bytes;
            unsigned edits = (op >> 3) & 7;
            for (unsigned e = 0; e < edits && !bytes.empty(); ++e) {
                std::size_t at = in.u16() % bytes.size();
                bytes[at] ^= in.byte();
            }
            if (op & 0x40)
                bytes.resize(in.u16() % 2048, in.byte());
            t.deliver(m.to_node, bytes, source(t, m.to_node, op >> 7));
            break;
        }
        case 2: // time passes; timers run
            t.advance(std::chrono::milliseconds(in.u16()) * 8);
            break;
        case 3:
            t.b.set_under_load(!t.b.under_load());
            break;
        case 4: { // data from one TUN side
            std::size_t node = (op >> 3) & 1;
            bool v6 = op & 0x10;
            std::size_t n = in.byte() * 6;
            t.link.tun_send(node,
                            v6 ? (node == t.na ? test::ipv6_packet("fd00::1", "fd00::2", n)
                                               : test::ipv6_packet("fd00::2", "fd00::1", n))
                               : (node == t.na ? test::ipv4_packet("10.0.0.1", "10.0.0.2", n)
                                               : test::ipv4_packet("10.0.0.2", "10.0.0.1", n)));
            break;
        }
        default: // a real message, unchanged (a replay or a first delivery)
            if (!real.empty()) {
                const Template& m = real[in.byte() % real.size()];
                t.deliver(m.to_node, m.bytes, source(t, m.to_node, op >> 3));
            }
            break;
        }
        t.check_delivered_sources();
    }
    return 0;
}
