// libFuzzer harness: the protocol's TUN packet intake (Device::on_tun_packet) on devices with
// live sessions (fuzz_tunnel.hpp). Each input is one or more packets (2-byte length prefix),
// written to a's or b's TUN side; what they produce is delivered to the other side.
// Properties: no crash or sanitizer report; a packet the far side writes to its TUN is a packet
// sent in, cut or padded to its IP length (is_sent_packet), and carries an allowed source.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "fuzz_tunnel.hpp"

using namespace wgx;
using namespace wgx::fuzz;

namespace {

/// Whether `delivered` is one of the packets sent, cut or extended to its IP length: the
/// receiver trims the plaintext (the packet plus zero padding to a multiple of 16) to the IP
/// header's length, so a packet whose header claims more than was read from the TUN (the
/// kernel never writes one; an AF_PACKET sender on the TUN can) arrives with zeros appended,
/// as with the kernel module.
bool is_sent_packet(const Bytes& delivered, const std::vector<Bytes>& sent) {
    return std::any_of(sent.begin(), sent.end(), [&](const Bytes& s) {
        if (delivered.size() <= s.size())
            return std::equal(delivered.begin(), delivered.end(), s.begin());
        return delivered.size() - s.size() < 16 &&
               std::equal(s.begin(), s.end(), delivered.begin()) &&
               std::all_of(delivered.begin() + std::ptrdiff_t(s.size()), delivered.end(),
                           [](std::uint8_t b) { return b == 0; });
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzTunnel t;
    InputReader in(data, size);
    std::vector<Bytes> sent[2];
    for (int step = 0; step < 16 && !in.done(); ++step) {
        std::uint8_t op = in.byte();
        std::size_t node = op & 1;
        if (op & 2)
            t.advance(std::chrono::milliseconds(op) * 1000);
        ByteView packet = in.bytes(in.u16() % 4096);
        sent[node].emplace_back(packet.begin(), packet.end());
        t.link.tun_send(node, packet);
        for (std::size_t to : {t.na, t.nb})
            for (auto& p : t.link.tun(to))
                if (!is_sent_packet(p, sent[to == t.na ? t.nb : t.na]))
                    std::abort();
        t.check_delivered_sources();
    }
    return 0;
}
