#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "quick/qr_code.hpp"
#include "support/plain_text.hpp"

using wgx::test::plain;

using namespace wgx::quick;

namespace {
/// Reads a half-block drawing back into modules (true = dark), quiet zone included.
std::vector<std::vector<bool>> parse_utf8(const std::string& drawing, int size) {
    std::vector<std::vector<bool>> m(static_cast<std::size_t>(size),
                                     std::vector<bool>(static_cast<std::size_t>(size)));
    int row = 0;
    std::size_t i = 0;
    while (i < drawing.size()) {
        int x = 0;
        while (drawing[i] != '\n') {
            bool top_light = false, bottom_light = false;
            if (drawing.compare(i, 3, "\u2588") == 0) {
                top_light = bottom_light = true;
                i += 3;
            } else if (drawing.compare(i, 3, "\u2580") == 0) {
                top_light = true;
                i += 3;
            } else if (drawing.compare(i, 3, "\u2584") == 0) {
                bottom_light = true;
                i += 3;
            } else {
                REQUIRE(drawing[i] == ' ');
                i += 1;
            }
            m[std::size_t(row)][std::size_t(x)] = !top_light;
            if (row + 1 < size)
                m[std::size_t(row + 1)][std::size_t(x)] = !bottom_light;
            ++x;
        }
        CHECK(x == size);
        ++i;
        row += 2;
    }
    CHECK(row >= size);
    return m;
}

std::vector<std::vector<bool>> with_quiet_zone(const QrMatrix& qr) {
    int size = qr.width + 2 * QR_QUIET_ZONE;
    std::vector<std::vector<bool>> m(static_cast<std::size_t>(size),
                                     std::vector<bool>(static_cast<std::size_t>(size)));
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width; ++x)
            m[std::size_t(y + QR_QUIET_ZONE)][std::size_t(x + QR_QUIET_ZONE)] =
                qr.modules[std::size_t(y)][std::size_t(x)];
    return m;
}
} // namespace

TEST_CASE("the half-block drawing reads back as libqrencode's matrix") {
    std::string config = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"
                         "Address = 192.0.2.2/24\n\n[Peer]\nPublicKey = "
                         "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nAllowedIPs = "
                         "192.0.2.0/24\nEndpoint = 198.51.100.1:51820\nPersistentKeepalive = 25\n";
    auto qr = encode_qr(config);
    REQUIRE(qr);
    CHECK(qr->width >= 21);
    CHECK((qr->width - 17) % 4 == 0); // a QR version's size
    // Finder pattern corners are dark.
    CHECK(qr->modules[0][0]);
    CHECK(qr->modules[0][std::size_t(qr->width - 1)]);
    int size = qr->width + 2 * QR_QUIET_ZONE;
    CHECK(parse_utf8(plain(draw_qr_utf8(*qr)), size) == with_quiet_zone(*qr));
    CHECK(qr_columns(*qr, true) == size);
    CHECK(qr_columns(*qr, false) == 2 * size);
}

TEST_CASE("the ASCII drawing has one row per module, two characters each") {
    auto qr = encode_qr("hello");
    REQUIRE(qr);
    std::string ascii = plain(draw_qr_ascii(*qr));
    int size = qr->width + 2 * QR_QUIET_ZONE;
    auto expected = with_quiet_zone(*qr);
    std::size_t pos = 0;
    for (int y = 0; y < size; ++y) {
        auto nl = ascii.find('\n', pos);
        std::string line = ascii.substr(pos, nl - pos);
        REQUIRE(line.size() == std::size_t(2 * size));
        for (int x = 0; x < size; ++x)
            CHECK((line.substr(std::size_t(2 * x), 2) == "  ") ==
                  bool(expected[std::size_t(y)][std::size_t(x)]));
        pos = nl + 1;
    }
    CHECK(pos == ascii.size());
}

TEST_CASE("text too long for any QR version is an error") {
    auto qr = encode_qr(std::string(4000, 'x'));
    CHECK_FALSE(qr);
}
