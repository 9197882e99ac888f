#pragma once
// Test-side copies of output the product keeps in wiping memory (SecretString), so that the
// tests can compare it with std::string literals and print it on failure.
#include <optional>
#include <string>

#include "base/secret_string.hpp"

namespace wgx::test {

inline std::string plain(const SecretString& text) {
    return std::string(text.data(), text.size());
}

inline std::optional<std::string> plain(const std::optional<SecretString>& text) {
    if (!text)
        return std::nullopt;
    return plain(*text);
}

} // namespace wgx::test
