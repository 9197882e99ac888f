#include "config/strip.hpp"

#include "config/config_reader.hpp"

namespace wgx::config {

// The strip output is what wg-quick would hand to wg; reading the file in quick mode both
// collects those lines and checks every line (wg's grammar and wg-quick's keys) on the way.
Result<SecretString> strip_config(const std::string& path) {
    auto file = read_config_file(path, Mode::quick);
    if (!file)
        return file.error();
    return file->stripped();
}

Result<SecretString> strip_config_text(std::string_view text, const std::string& source) {
    auto file = read_config_text(text, Mode::quick, source);
    if (!file)
        return file.error();
    return file->stripped();
}

} // namespace wgx::config
