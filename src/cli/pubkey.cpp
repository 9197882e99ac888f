// `pubkey`: a private key on stdin, its public key on stdout. Accepts exactly what wg accepts:
// the first 44 bytes are the key; after them only whitespace and NUL bytes may follow.
#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/command_table.hpp"
#include "cli/commands.hpp"
#include "crypto/key.hpp"
#include "crypto/x25519.hpp"

namespace wgx::cli {

namespace {
bool is_trailing_filler(int c) {
    return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int fail(const Invocation& inv, const char* what) {
    std::fprintf(stderr, "%s: %s\n", inv.prog.c_str(), what);
    return 1;
}
} // namespace

int pubkey_main(const Invocation& inv) {
    if (inv.args.size() != 1) {
        print_command_usage(inv);
        return 1;
    }
    std::array<char, crypto::KEY_LEN_BASE64> text{};
    // Unbuffered: stdio's own buffer would keep a copy of the private key.
    std::setvbuf(stdin, nullptr, _IONBF, 0);
    if (std::fread(text.data(), 1, text.size(), stdin) != text.size()) {
        crypto::secure_zero(text.data(), text.size());
        return fail(inv, "Key is not the correct length or format");
    }
    for (;;) {
        int c = std::getc(stdin);
        if (c == EOF)
            break;
        if (!is_trailing_filler(c)) {
            crypto::secure_zero(text.data(), text.size());
            return fail(inv, "Trailing characters found after key");
        }
    }
    auto key = crypto::Key::from_base64(std::string_view(text.data(), text.size()));
    crypto::secure_zero(text.data(), text.size());
    if (!key)
        return fail(inv, "Key is not the correct length or format");
    std::string line = crypto::public_key_of(*key).to_base64() + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    return 0;
}

} // namespace wgx::cli
