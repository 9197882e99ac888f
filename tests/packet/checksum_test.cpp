#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include "packet/checksum.hpp"
#include "support/crafted_packets.hpp"

using namespace wgx;
using namespace wgx::packet;
using wgx::testing::reference_sum;

TEST_CASE("checksum: the RFC 1071 example") {
    const std::array<std::uint8_t, 8> data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(checksum_fold(checksum_add(data)) == 0xddf2);
    CHECK(checksum_finish(checksum_add(data)) == 0x220d);
}

TEST_CASE("checksum: a known IPv4 header") {
    std::array<std::uint8_t, 20> ip{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK(checksum_finish(checksum_add(ip)) == 0xb861);
    ip[10] = 0xb8;
    ip[11] = 0x61;
    CHECK(checksum_fold(checksum_add(ip)) == 0xffff);
}

TEST_CASE("checksum: matches the naive sum at every length and alignment") {
    std::mt19937 rng(7);
    std::vector<std::uint8_t> buf(70000 + 16);
    for (auto& b : buf)
        b = std::uint8_t(rng());
    for (std::size_t offset = 0; offset < 8; ++offset)
        for (std::size_t len = 0; len <= 300; ++len) {
            ByteView data(buf.data() + offset, len);
            REQUIRE(checksum_fold(checksum_add(data)) == reference_sum(data.data(), len));
        }
    for (std::size_t len : {1380u, 1381u, 65535u, 65536u, 70000u}) {
        ByteView data(buf.data() + 3, len);
        CHECK(checksum_fold(checksum_add(data)) == reference_sum(data.data(), len));
    }
}

TEST_CASE("checksum: all-0xff data, the worst case for carries, folds like the naive sum") {
    std::vector<std::uint8_t> ones(65536, 0xff);
    CHECK(checksum_fold(checksum_add(ones)) == reference_sum(ones.data(), ones.size()));
    CHECK(checksum_fold(checksum_add(ones, checksum_add(ones))) == 0xffff);
}

TEST_CASE("checksum: even-length chunks chain to the sum of the whole") {
    std::mt19937 rng(11);
    std::vector<std::uint8_t> buf(3001);
    for (auto& b : buf)
        b = std::uint8_t(rng());
    for (std::size_t cut : {0u, 2u, 20u, 1000u, 3000u}) {
        std::uint64_t sum = checksum_add(ByteView(buf).first(cut));
        sum = checksum_add(ByteView(buf).subspan(cut), sum);
        CHECK(checksum_fold(sum) == reference_sum(buf.data(), buf.size()));
    }
}

TEST_CASE("checksum: adding a big-endian word equals summing its two bytes") {
    const std::array<std::uint8_t, 2> word{0x12, 0xab};
    CHECK(checksum_fold(checksum_add_be16(0, 0x12ab)) == checksum_fold(checksum_add(word)));
    CHECK(checksum_fold(checksum_add_be16(checksum_add(word), 0xffff)) ==
          reference_sum(word.data(), 2, 0xffff));
}

TEST_CASE("checksum: pseudo-header sums for IPv4 and IPv6") {
    testing::PacketSpec v4;
    v4.src = {192, 0, 2, 1};
    v4.dst = {198, 51, 100, 7};
    auto p4 = testing::craft_packet(v4, testing::pattern_payload(33));
    std::uint32_t l4_len = std::uint32_t(p4.size() - 20);
    CHECK(checksum_fold(pseudo_header_sum(ByteView(p4).subspan(12, 8), 6, l4_len)) ==
          reference_sum(nullptr, 0, testing::reference_pseudo(p4.data(), l4_len)));

    testing::PacketSpec v6;
    v6.version = 6;
    v6.protocol = 17;
    auto p6 = testing::craft_packet(v6, testing::pattern_payload(1001));
    l4_len = std::uint32_t(p6.size() - 40);
    CHECK(checksum_fold(pseudo_header_sum(ByteView(p6).subspan(8, 32), 17, l4_len)) ==
          reference_sum(nullptr, 0, testing::reference_pseudo(p6.data(), l4_len)));
    // A length above 16 bits (IPv6 jumbograms) counts both halves.
    CHECK(checksum_fold(pseudo_header_sum(ByteView(p6).subspan(8, 32), 17, 0x12345)) ==
          reference_sum(nullptr, 0, testing::reference_pseudo(p6.data(), 0x12345)));
}

TEST_CASE("checksum: checksum_copy copies exactly the bytes it sums") {
    std::mt19937 rng(13);
    std::vector<std::uint8_t> src(2100);
    for (auto& b : src)
        b = std::uint8_t(rng());
    for (std::size_t offset = 0; offset < 4; ++offset)
        for (std::size_t len : {0u, 1u, 2u, 3u, 5u, 31u, 32u, 33u, 63u, 1380u, 1381u, 2000u}) {
            CAPTURE(offset);
            CAPTURE(len);
            std::vector<std::uint8_t> dst(len + 8, 0xcc);
            ByteView data(src.data() + offset, len);
            std::uint64_t sum = checksum_copy(dst.data() + 1, data, checksum_add_be16(0, 0x1234));
            CHECK(checksum_fold(sum) == reference_sum(data.data(), len, 0x1234));
            CHECK(std::equal(data.begin(), data.end(), dst.begin() + 1));
            CHECK(dst[0] == 0xcc);
            for (std::size_t i = len + 1; i < dst.size(); ++i)
                CHECK(dst[i] == 0xcc);
        }
}
