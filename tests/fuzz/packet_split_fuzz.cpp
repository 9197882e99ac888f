// libFuzzer harness: the TSO/USO split of a super-packet read from the TUN device.
// Input: a 10-byte virtio-net header, one byte choosing the segment area, then the IP packet.
// Properties: no crash or sanitizer report (the area is exactly as large as declared, so a
// write past it is caught); split() returns -1 or 1..max_segments, the count segment_count()
// gives; every segment fits its capacity; for GSO types every segment parses, its IPv4 header and
// TCP/UDP checksums verify independently, and the segments' payloads put together are the
// super-packet's payload; coalescing the segments again gives the same payload stream.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "packet/coalescing.hpp"
#include "packet/ip_header.hpp"
#include "packet/segmentation.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;

namespace {
// Aborts naming the property's line, so a crash report says which property broke.
void require_at(bool ok, int line) {
    if (!ok) {
        std::fprintf(stderr, "property on line %d does not hold\n", line);
        std::abort();
    }
}
#define require(ok) require_at((ok), __LINE__)
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < VIRTIO_NET_HDR_SIZE + 1)
        return 0;
    const VirtioNetHdr hdr = consume_virtio_net_hdr(ByteView(data, VIRTIO_NET_HDR_SIZE));
    const std::uint8_t shape = data[VIRTIO_NET_HDR_SIZE];
    const std::vector<std::uint8_t> packet(data + VIRTIO_NET_HDR_SIZE + 1, data + size);

    const std::size_t max_segments = 1 + (shape & 0x3f);
    const std::size_t capacity = (shape & 0x40) ? 1500 : 300;
    const std::size_t stride = capacity + ((shape & 0x80) ? 7 : 0);
    std::vector<std::uint8_t> area(stride * (max_segments - 1) + capacity);
    std::vector<std::size_t> sizes(max_segments);
    const SegmentArea view{area.data(), stride, capacity, max_segments, sizes.data()};
    const int n = split(hdr, packet, view);
    if (n == -1)
        return 0;
    require(n >= 1 && std::size_t(n) <= max_segments);
    require(segment_count(hdr, packet) == n);
    for (int i = 0; i < n; ++i)
        require(sizes[std::size_t(i)] <= capacity);
    if ((hdr.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) == VIRTIO_NET_HDR_GSO_NONE)
        return 0;

    auto layout = parse_ip_packet(packet);
    require(layout.has_value());
    std::vector<std::uint8_t> payload, resplit;
    Coalescer coalescer(CoalesceOptions{.udp = true});
    for (int i = 0; i < n; ++i) {
        std::uint8_t* seg = area.data() + std::size_t(i) * stride;
        const std::size_t len = sizes[std::size_t(i)];
        auto l = parse_ip_packet(ByteView(seg, len));
        require(l && l->length == len && l->header_len() == layout->header_len());
        require(testing::ip_header_checksum_ok(seg));
        require(testing::l4_checksum_ok(seg, len));
        payload.insert(payload.end(), seg + l->header_len(), seg + len);
        coalescer.add(MutableByteView(seg, len));
    }
    const std::uint8_t* original = packet.data() + layout->header_len();
    require(payload == std::vector<std::uint8_t>(original, original + layout->payload_len()));

    for (const auto& w : coalescer.finish()) {
        require(w.parts.size() >= 2 && w.parts[0].size() == VIRTIO_NET_HDR_SIZE);
        // A merged write's first part has headers describing the whole super-packet; the
        // virtio header says how long they are.
        const VirtioNetHdr merged = consume_virtio_net_hdr(w.parts[0]);
        std::size_t header_len = merged.hdr_len;
        if (merged.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
            auto l = parse_ip_packet(w.parts[1]);
            require(l.has_value() && l->length == w.parts[1].size());
            header_len = l->header_len();
        }
        require(header_len <= w.parts[1].size());
        resplit.insert(resplit.end(), w.parts[1].begin() + long(header_len), w.parts[1].end());
        for (std::size_t i = 2; i < w.parts.size(); ++i)
            resplit.insert(resplit.end(), w.parts[i].begin(), w.parts[i].end());
    }
    require(resplit == payload);
    return 0;
}
