#include "quick/config_lock.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>

namespace wgx::quick {

std::string directory_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

Result<UniqueFd> lock_config_directory(const std::string& config_file) {
    std::string dir = directory_of(config_file);
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return make_error(dir + ": " + std::strerror(errno), errno);
    while (::flock(fd.get(), LOCK_EX) != 0) {
        if (errno != EINTR)
            return make_error("cannot lock " + dir + ": " + std::strerror(errno), errno);
    }
    return fd;
}

} // namespace wgx::quick
