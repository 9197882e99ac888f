#include "quick/qr_code.hpp"

#include <cerrno>
#include <memory>

#include <fmt/format.h>
#include <qrencode.h>

#include "base/shared_library.hpp"

namespace wgx::quick {

namespace {
/// Dark or light, with the quiet zone around the symbol counted in.
bool dark_at(const QrMatrix& qr, int x, int y) {
    x -= QR_QUIET_ZONE;
    y -= QR_QUIET_ZONE;
    return x >= 0 && y >= 0 && x < qr.width && y < qr.width &&
           qr.modules[std::size_t(y)][std::size_t(x)];
}

/// libqrencode, opened with dlopen() the first time a QR code is drawn: only `--qr` needs it, so
/// no other command pays for loading it at start-up.
struct Qrencode {
    decltype(&QRcode_encodeString) encode_string = nullptr;
    decltype(&QRcode_free) free = nullptr;
    std::string error; // why loading failed; empty when every symbol was found
};

const Qrencode& qrencode() {
    static const Qrencode lib = [] {
        Qrencode q;
        SharedLibrary so(QRENCODE_SONAME);
        so.find("QRcode_encodeString", q.encode_string);
        so.find("QRcode_free", q.free);
        if (!so.error().empty())
            q.error = "qr: " + so.error();
        return q;
    }();
    return lib;
}

/// libqrencode's symbol (its modules spell out the private key) wiped, then freed.
void free_wiped(QRcode* code) {
    if (code)
        wipe(code->data, std::size_t(code->width) * std::size_t(code->width));
    qrencode().free(code);
}
} // namespace

Result<QrMatrix> encode_qr(std::string_view text) {
    const Qrencode& qr_lib = qrencode();
    if (!qr_lib.error.empty())
        return make_error(qr_lib.error, ENOSYS);
    const SecretString copy(text); // libqrencode wants a NUL-terminated string
    errno = 0;
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        qr_lib.encode_string(copy.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1), &free_wiped);
    if (!code)
        return make_error(errno == ERANGE ? "the configuration is too long for a QR code"
                                          : "libqrencode could not encode the configuration",
                          errno ? errno : EINVAL);
    QrMatrix qr;
    qr.width = code->width;
    qr.modules.assign(std::size_t(qr.width),
                      std::vector<bool, SecureAllocator<bool>>(std::size_t(qr.width)));
    for (int y = 0; y < qr.width; ++y)
        for (int x = 0; x < qr.width; ++x)
            qr.modules[std::size_t(y)][std::size_t(x)] = code->data[y * qr.width + x] & 1;
    return qr;
}

SecretString draw_qr_utf8(const QrMatrix& qr) {
    const int size = qr.width + 2 * QR_QUIET_ZONE;
    SecretString out;
    for (int y = 0; y < size; y += 2) {
        for (int x = 0; x < size; ++x) {
            bool top_light = !dark_at(qr, x, y);
            bool bottom_light = y + 1 < size ? !dark_at(qr, x, y + 1) : false;
            if (top_light && bottom_light)
                out += "\u2588"; // full block
            else if (top_light)
                out += "\u2580"; // upper half block
            else if (bottom_light)
                out += "\u2584"; // lower half block
            else
                out += ' ';
        }
        out += '\n';
    }
    return out;
}

SecretString draw_qr_ascii(const QrMatrix& qr) {
    const int size = qr.width + 2 * QR_QUIET_ZONE;
    SecretString out;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x)
            out += dark_at(qr, x, y) ? "  " : "##";
        out += '\n';
    }
    return out;
}

int qr_columns(const QrMatrix& qr, bool utf8) {
    int size = qr.width + 2 * QR_QUIET_ZONE;
    return utf8 ? size : 2 * size;
}

} // namespace wgx::quick
