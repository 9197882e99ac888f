#include "base/secret_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "base/unique_fd.hpp"

namespace wgx {

Result<SecretString> read_secret_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return make_error(path + ": " + std::strerror(errno), errno);
    SecretString text;
    for (;;) {
        std::size_t have = text.size();
        text.resize(have + 4096);
        ssize_t n = ::read(fd.get(), text.data() + have, 4096);
        if (n < 0 && errno == EINTR) {
            text.resize(have);
            continue;
        }
        if (n < 0) {
            int err = errno;
            return make_error(path + ": " + std::strerror(err), err);
        }
        text.resize(have + std::size_t(n));
        if (n == 0)
            return text;
    }
}

} // namespace wgx
