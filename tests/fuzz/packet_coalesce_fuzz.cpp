// libFuzzer harness: the userspace GRO that merges decrypted packets before the TUN write.
// Input: one option byte, then packets, each behind a 2-byte big-endian length.
// Properties: no crash or sanitizer report (each packet lives in its own exactly-sized
// buffer); every input packet appears in exactly one write; a merged write's virtio header
// describes its bytes: completing the checksum it asks for gives a packet whose IPv4 header
// and TCP/UDP checksums verify, and split() with that header gives back the merged packets'
// payloads, one segment per part.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
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
    if (size < 1)
        return 0;
    CoalesceOptions options;
    options.udp = data[0] & 1;
    options.tcp = !(data[0] & 2);
    options.max_segments = 1 + (data[0] >> 2 & 0x3f);
    std::vector<std::unique_ptr<std::uint8_t[]>> buffers;
    std::vector<MutableByteView> packets;
    for (std::size_t at = 1; at + 2 <= size;) {
        std::size_t len = std::size_t(data[at]) << 8 | data[at + 1];
        at += 2;
        if (len > size - at)
            len = size - at;
        buffers.push_back(std::make_unique<std::uint8_t[]>(len));
        std::copy(data + at, data + at + len, buffers.back().get());
        packets.emplace_back(buffers.back().get(), len);
        at += len;
    }
    Coalescer coalescer(options);
    for (int round = 0; round < 2; ++round) { // the second round reuses the buffers
        coalescer.clear();
        for (auto p : packets)
            coalescer.add(p);
        std::size_t parts = 0;
        for (const auto& w : coalescer.finish()) {
            require(w.parts.size() >= 2 && w.parts[0].size() == VIRTIO_NET_HDR_SIZE);
            parts += w.parts.size() - 1;
            const VirtioNetHdr hdr = consume_virtio_net_hdr(w.parts[0]);
            if (hdr.gso_type == VIRTIO_NET_HDR_GSO_NONE) {
                require(w.parts.size() == 2 && hdr == VirtioNetHdr{});
                continue;
            }
            std::vector<std::uint8_t> merged;
            for (std::size_t i = 1; i < w.parts.size(); ++i)
                merged.insert(merged.end(), w.parts[i].begin(), w.parts[i].end());
            require(merged.size() <= options.max_size);
            require(complete_checksum(hdr, merged));
            require(testing::ip_header_checksum_ok(merged.data()));
            require(testing::l4_checksum_ok(merged.data(), merged.size()));
            const std::size_t count = w.parts.size() - 1;
            require(count >= 2 && count <= options.max_segments);
            const std::size_t stride = merged.size(); // no segment is larger than the whole
            std::vector<std::uint8_t> area(count * stride);
            std::vector<std::size_t> sizes(count);
            require(split(hdr, merged, {area.data(), stride, stride, count, sizes.data()}) ==
                    int(count));
            for (std::size_t i = 0; i < count; ++i) {
                const std::uint8_t* seg = area.data() + i * stride;
                ByteView payload(seg + hdr.hdr_len, sizes[i] - hdr.hdr_len);
                ByteView part = i == 0 ? w.parts[1].subspan(hdr.hdr_len) : w.parts[i + 1];
                require(std::equal(payload.begin(), payload.end(), part.begin(), part.end()));
            }
        }
        require(parts == packets.size());
        if (round == 0) // the heads were rewritten: restore the inputs for the second round
            for (std::size_t i = 0, at = 1; i < packets.size(); ++i) {
                at += 2;
                std::copy(data + at, data + at + packets[i].size(), packets[i].data());
                at += packets[i].size();
            }
    }
    return 0;
}
