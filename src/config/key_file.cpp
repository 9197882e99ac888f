#include "config/key_file.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "base/unique_fd.hpp"
#include "crypto/key.hpp"

namespace wgx::config {

Result<model::Key> read_protected_key_file(const std::string& path) {
    // The checks look at the opened file itself (fstat), so a swap of the path after the
    // check cannot hand us another file.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        return make_error(fmt::format("key file `{}': {}", path, std::strerror(errno)), errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return make_error(fmt::format("key file `{}': {}", path, std::strerror(errno)), errno);
    if (!S_ISREG(st.st_mode))
        return make_error(fmt::format("key file `{}' is not a regular file", path), EINVAL);
    if (st.st_mode & 077)
        return make_error(fmt::format("key file `{}' has mode {:04o}: it must be 0600 or "
                                      "stricter (chmod 600 it)",
                                      path, st.st_mode & 07777),
                          EPERM);
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return make_error(fmt::format("key file `{}' is owned by uid {}: it must be owned by root",
                                      path, st.st_uid),
                          EPERM);
    std::array<char, 128> text{};
    std::size_t got = 0;
    for (;;) {
        ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            crypto::secure_zero(text.data(), text.size());
            return make_error(fmt::format("key file `{}': {}", path, std::strerror(e)), e);
        }
        if (n == 0 || (got += std::size_t(n)) == text.size())
            break;
    }
    std::string_view v(text.data(), got);
    constexpr std::string_view spaces = " \t\r\n\v\f";
    auto first = v.find_first_not_of(spaces);
    auto last = v.find_last_not_of(spaces);
    v = first == std::string_view::npos ? std::string_view{} : v.substr(first, last - first + 1);
    auto key = got == text.size() ? std::nullopt : crypto::Key::from_base64(v);
    crypto::secure_zero(text.data(), text.size());
    if (!key)
        return make_error(
            fmt::format("key file `{}' does not hold one base64 key (as `wg genkey' writes)", path),
            EINVAL);
    return *key;
}

} // namespace wgx::config
