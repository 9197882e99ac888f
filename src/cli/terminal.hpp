#pragma once
// Colour on the terminal as wg does it: WG_COLOR_MODE=always|never, else only when stdout is a
// TTY. Without colour, every ANSI sequence is filtered out of each printed chunk.
#include <string>
#include <string_view>

#include "base/secret_string.hpp"

namespace wgx::cli {

inline constexpr std::string_view TERM_RED = "\x1b[31m";
inline constexpr std::string_view TERM_GREEN = "\x1b[32m";
inline constexpr std::string_view TERM_YELLOW = "\x1b[33m";
inline constexpr std::string_view TERM_CYAN = "\x1b[36m";
inline constexpr std::string_view TERM_BOLD = "\x1b[1m";
inline constexpr std::string_view TERM_RESET = "\x1b[0m";

/// Whether the pretty output gets colour (decided once per process, from the environment).
bool color_mode_from_environment();

/// Collects pretty output; each `print` is one of wg's terminal_printf calls, filtered alone.
class TerminalText {
  public:
    explicit TerminalText(bool color) : color_(color) {}
    void print(std::string_view chunk);
    /// A chunk that may be a key (shown with WG_HIDE_KEYS=never): appended as it is, since
    /// base64 holds no escape sequence, so no unwiped filtered copy is made of it.
    void print_secret(const SecretString& chunk) { out_.append(chunk); }
    /// Room for `bytes` of output in one allocation (a large device prints megabytes).
    void reserve(std::size_t bytes) { out_.reserve(bytes); }
    const SecretString& text() const { return out_; }
    SecretString take() { return std::move(out_); }

  private:
    bool color_;
    // The pretty form may carry the private and preshared keys: wiped when freed.
    SecretString out_;
};

/// Removes ESC '[' ... <letter> sequences the way wg's filter does (it leaves a sequence that
/// starts in the last two bytes of a chunk alone).
std::string strip_ansi(std::string_view chunk);

} // namespace wgx::cli
