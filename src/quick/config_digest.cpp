#include "quick/config_digest.hpp"

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.hpp"
#include "crypto/blake2s.hpp"
#include "quick/record.hpp"

namespace wgx::quick {

namespace {
std::string digest_path(const std::string& interface) {
    return record_path(interface) + ".source";
}
} // namespace

std::string config_digest(std::string_view text) {
    std::uint8_t hash[crypto::HASH_LEN];
    crypto::blake2s_hash(
        hash, {std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                             text.size())});
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (auto b : hash) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

Result<void> remember_config_digest(const std::string& interface, std::string_view text) {
    ::mkdir(state_dir().c_str(), 0755); // up may have had nothing to record
    return write_file_atomically(digest_path(interface), config_digest(text) + "\n", 0600);
}

std::optional<std::string> remembered_config_digest(const std::string& interface) {
    std::ifstream in(digest_path(interface));
    std::string line;
    if (!in || !std::getline(in, line) || line.empty())
        return std::nullopt;
    return line;
}

void forget_config_digest(const std::string& interface) {
    ::unlink(digest_path(interface).c_str());
}

} // namespace wgx::quick
