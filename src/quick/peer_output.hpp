#pragma once
// Showing a client configuration: as text, or as a QR code sized to the terminal.
#include <string>

#include "base/result.hpp"
#include "base/secret_string.hpp"

namespace wgx::quick {

/// How the QR code is drawn: decided from the locale and the terminal, overridable by tests.
struct TerminalInfo {
    bool utf8 = true;
    /// Columns available; 0 = unknown (not a terminal and no $COLUMNS): no limit.
    int columns = 0;
};

/// The locale's character set (LC_ALL/LC_CTYPE/LANG) and stdout's width (TIOCGWINSZ, else
/// $COLUMNS).
TerminalInfo current_terminal();

/// Writes `config` to stdout as text, or with `qr` as a QR code. When the code is wider than
/// the terminal the error says how many columns it needs.
Result<void> print_client_config(const SecretString& config, bool qr, const TerminalInfo& term);

} // namespace wgx::quick
