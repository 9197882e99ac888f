#include "base/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/unique_fd.hpp"

namespace wgx {

namespace {
Error errno_error(const std::string& what, const std::string& path) {
    int e = errno;
    return make_error(what + " `" + path + "': " + std::strerror(e), e);
}
} // namespace

Result<void> write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return make_error(std::strerror(errno), errno);
        text.remove_prefix(std::size_t(n));
    }
    return {};
}

Result<void> write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    std::string tmpl = path + ".tmp.XXXXXX";
    UniqueFd fd(mkostemp(tmpl.data(), O_CLOEXEC));
    if (!fd)
        return errno_error("Unable to create temporary file for", path);
    auto fail = [&](const char* what) {
        Error e = errno_error(what, tmpl);
        ::unlink(tmpl.c_str());
        return e;
    };
    if (fchmod(fd.get(), mode) < 0)
        return fail("Unable to set mode of");
    if (auto w = write_all(fd.get(), content); !w) {
        errno = w.error().code;
        return fail("Unable to write");
    }
    if (fsync(fd.get()) < 0)
        return fail("Unable to sync");
    fd.reset();
    if (::rename(tmpl.c_str(), path.c_str()) < 0)
        return fail("Unable to rename");
    UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd)
        fsync(dfd.get());
    return {};
}

} // namespace wgx
