#include <doctest/doctest.h>

#include <array>

#include "packet/virtio_net_hdr.hpp"

using namespace wgx;
using namespace wgx::packet;

TEST_CASE("virtio_net_hdr: fields are little-endian in the order of struct virtio_net_hdr") {
    VirtioNetHdr hdr{
        VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV6, 0x0102, 0x0564, 0x0028, 0x0010};
    std::array<std::uint8_t, 12> out{};
    out.fill(0xee);
    create_virtio_net_hdr(hdr, out);
    const std::array<std::uint8_t, 12> expected{1,    4, 0x02, 0x01, 0x64, 0x05,
                                                0x28, 0, 0x10, 0,    0xee, 0xee};
    CHECK(out == expected);
    CHECK(consume_virtio_net_hdr(out) == hdr);
}

TEST_CASE("virtio_net_hdr: every field survives a round trip") {
    for (std::uint16_t v : {0, 1, 0x7fff, 0x8000, 0xffff}) {
        VirtioNetHdr hdr{std::uint8_t(v),           std::uint8_t(v >> 8), v,
                         std::uint16_t(v ^ 0x5555), std::uint16_t(~v),    std::uint16_t(v + 3)};
        std::array<std::uint8_t, VIRTIO_NET_HDR_SIZE> out{};
        create_virtio_net_hdr(hdr, out);
        CHECK(consume_virtio_net_hdr(out) == hdr);
    }
}

TEST_CASE("virtio_net_hdr: short buffers are neither read nor written") {
    std::array<std::uint8_t, 9> shorter{};
    shorter.fill(0x77);
    CHECK(consume_virtio_net_hdr(shorter) == VirtioNetHdr{});
    create_virtio_net_hdr(VirtioNetHdr{1, 1, 1, 1, 1, 1}, shorter);
    for (auto b : shorter)
        CHECK(b == 0x77);
}
