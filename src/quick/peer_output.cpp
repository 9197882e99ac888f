#include "quick/peer_output.hpp"

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <langinfo.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/decimal.hpp"
#include "base/secret_file.hpp"
#include "quick/qr_code.hpp"

namespace wgx::quick {

TerminalInfo current_terminal() {
    TerminalInfo t;
    // Asks the locale without changing the program's own (C) formatting afterwards.
    const char* old = std::setlocale(LC_CTYPE, nullptr);
    std::string saved = old ? old : "C";
    if (std::setlocale(LC_CTYPE, "")) {
        t.utf8 = std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
        std::setlocale(LC_CTYPE, saved.c_str());
    } else {
        t.utf8 = false;
    }
    winsize ws{};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
        t.columns = ws.ws_col;
    else if (const char* c = std::getenv("COLUMNS"))
        if (auto n = parse_decimal<int>(c))
            t.columns = *n;
    return t;
}

Result<void> print_client_config(const SecretString& config, bool qr, const TerminalInfo& term) {
    SecretString out = config;
    if (qr) {
        auto matrix = encode_qr(config);
        if (!matrix)
            return matrix.error();
        int need = qr_columns(*matrix, term.utf8);
        if (term.columns && need > term.columns)
            return make_error("the QR code needs a terminal " + std::to_string(need) +
                                  " columns wide (this one has " + std::to_string(term.columns) +
                                  ")",
                              ERANGE);
        out = term.utf8 ? draw_qr_utf8(*matrix) : draw_qr_ascii(*matrix);
    }
    // Past stdio, whose buffer is freed unwiped: straight to the descriptor.
    if (std::fflush(stdout) != 0)
        return make_error(std::string("stdout: ") + std::strerror(errno), errno);
    if (auto w = write_all(STDOUT_FILENO, out); !w)
        return make_error("stdout: " + w.error().message, w.error().code);
    return {};
}

} // namespace wgx::quick
