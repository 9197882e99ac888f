#pragma once
// A client configuration as a QR code on the terminal, for phones to scan: libqrencode makes the
// matrix (error correction level L), this draws it with two modules per character cell.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "base/secret_string.hpp"

namespace wgx::quick {

/// A square QR symbol: modules[y][x] is true for a dark module. No quiet zone. The symbol
/// encodes a private key as surely as its text does, so its rows are wiped when freed.
struct QrMatrix {
    int width = 0;
    std::vector<std::vector<bool, SecureAllocator<bool>>> modules;
};

/// Encodes `text` as bytes (8-bit mode, the smallest version that fits, level L).
Result<QrMatrix> encode_qr(std::string_view text);

/// Light modules around the symbol, on each side.
inline constexpr int QR_QUIET_ZONE = 2;

/// Half-block drawing: each character cell holds two rows of modules; the glyphs draw the
/// light modules (terminals are mostly light text on dark), so the code reads dark on light.
/// Every line has width + 2 * QR_QUIET_ZONE characters.
SecretString draw_qr_utf8(const QrMatrix& qr);
/// For terminals without UTF-8: "##" for a light module, two spaces for a dark one, one text
/// row per module row; lines of 2 * (width + 2 * QR_QUIET_ZONE) characters.
SecretString draw_qr_ascii(const QrMatrix& qr);
/// Columns a drawing needs.
int qr_columns(const QrMatrix& qr, bool utf8);

} // namespace wgx::quick
