#include "packet/virtio_net_hdr.hpp"

namespace wgx::packet {

namespace {
std::uint16_t load_le16(const std::uint8_t* p) {
    return std::uint16_t(p[0] | p[1] << 8);
}
void store_le16(std::uint8_t* p, std::uint16_t v) {
    p[0] = std::uint8_t(v);
    p[1] = std::uint8_t(v >> 8);
}
} // namespace

VirtioNetHdr consume_virtio_net_hdr(ByteView bytes) {
    VirtioNetHdr hdr;
    if (bytes.size() < VIRTIO_NET_HDR_SIZE)
        return hdr; // the caller broke the precondition: an all-zero header is the safe answer
    const std::uint8_t* p = bytes.data();
    hdr.flags = p[0];
    hdr.gso_type = p[1];
    hdr.hdr_len = load_le16(p + 2);
    hdr.gso_size = load_le16(p + 4);
    hdr.csum_start = load_le16(p + 6);
    hdr.csum_offset = load_le16(p + 8);
    return hdr;
}

void create_virtio_net_hdr(const VirtioNetHdr& hdr, MutableByteView out) {
    if (out.size() < VIRTIO_NET_HDR_SIZE)
        return;
    std::uint8_t* p = out.data();
    p[0] = hdr.flags;
    p[1] = hdr.gso_type;
    store_le16(p + 2, hdr.hdr_len);
    store_le16(p + 4, hdr.gso_size);
    store_le16(p + 6, hdr.csum_start);
    store_le16(p + 8, hdr.csum_offset);
}

} // namespace wgx::packet
