// Throughput of the userspace offload code on the data path: splitting a 64 KB TCPv4
// super-packet into MSS 1380 segments (TSO), and coalescing 45 such segments back into one
// super-packet (GRO), in GB per second of CPU time. Run by hand or by tools/bench, never by ctest.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include "packet/checksum.hpp"
#include "packet/coalescing.hpp"
#include "packet/segmentation.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;

namespace {
constexpr std::size_t MSS = 1380;
constexpr std::size_t SEGMENTS = 45;

// CPU time of this thread: the machine is shared, and pure computation is best measured by
// the time it was actually given.
double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Runs `step` (which moves `bytes` bytes) for about 1 s of CPU time (at most 20M times);
// bytes per CPU second.
template <typename Step>
double bytes_per_second(std::size_t bytes, Step step) {
    const double start = thread_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    std::uint64_t n = 0;
    while (n < 20'000'000) {
        for (int i = 0; i < 100; ++i, ++n)
            step();
        if (thread_seconds() - start > 1.0 ||
            std::chrono::steady_clock::now() - wall_start > std::chrono::seconds(10))
            break;
    }
    return double(n) * double(bytes) / (thread_seconds() - start);
}
} // namespace

int main() {
    testing::PacketSpec spec;
    spec.src = {192, 0, 2, 1};
    spec.dst = {192, 0, 2, 2};
    spec.tcp_options = testing::timestamps_option(1, 2);
    spec.partial_checksum = true;
    // 64 KB: the largest IPv4 packet that headers of 52 bytes leave room for.
    const std::size_t payload = 65535 - 20 - 32;
    auto super = testing::craft_packet(spec, testing::pattern_payload(payload));
    VirtioNetHdr hdr{VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 52, MSS, 20, 16};

    constexpr std::size_t stride = 2048, max_segments = 64;
    std::vector<std::uint8_t> area_bytes(stride * max_segments);
    std::vector<std::size_t> sizes(max_segments);
    SegmentArea area{area_bytes.data(), stride, stride, max_segments, sizes.data()};
    int count = split(hdr, super, area);
    if (count <= 0) {
        std::fprintf(stderr, "packet_bench: split failed\n");
        return 1;
    }
    double split_rate = bytes_per_second(super.size(), [&] {
        if (split(hdr, super, area) != count)
            std::abort();
    });

    // 45 full segments of one flow, as one receive batch would hold them.
    std::vector<std::vector<std::uint8_t>> segments;
    for (std::size_t i = 0; i < SEGMENTS; ++i) {
        spec.seq = 1000 + std::uint32_t(i * MSS);
        spec.partial_checksum = false;
        segments.push_back(testing::craft_packet(spec, testing::pattern_payload(MSS, i)));
    }
    std::size_t batch_bytes = 0;
    for (auto& s : segments)
        batch_bytes += s.size();
    // finish() rewrites the first segment's headers in place; each round restores them, as
    // each real batch brings freshly decrypted packets.
    const std::vector<std::uint8_t> first_headers(segments[0].begin(), segments[0].begin() + 52);
    Coalescer coalescer;
    double coalesce_rate = bytes_per_second(batch_bytes, [&] {
        std::copy(first_headers.begin(), first_headers.end(), segments[0].begin());
        coalescer.clear();
        for (auto& s : segments)
            coalescer.add(s);
        if (coalescer.finish().size() != 1)
            std::abort();
    });
    std::uint64_t sink = 0;
    double checksum_rate = bytes_per_second(super.size(), [&] { sink += checksum_add(super); });
    std::printf("packet checksum: %zu B: %.2f GB/s (%u)\n", super.size(), checksum_rate / 1e9,
                unsigned(sink & 1));
    std::printf("packet split: %d segments of a %zu B TCPv4 super-packet (MSS %zu): %.2f GB/s\n",
                count, super.size(), MSS, split_rate / 1e9);
    std::printf("packet coalesce: %zu TCPv4 segments (MSS %zu) into one: %.2f GB/s\n", SEGMENTS,
                MSS, coalesce_rate / 1e9);
}
