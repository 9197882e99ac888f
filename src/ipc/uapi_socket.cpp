#include "ipc/uapi_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

namespace wgx::ipc {

namespace {

constexpr std::string_view SUFFIX = ".sock";

Error errno_error(const std::string& what, int code) {
    return make_error(what + ": " + std::strerror(code), code);
}

bool fill_address(sockaddr_un& addr, const std::string& path) {
    addr = {};
    addr.sun_family = AF_UNIX;
    // wg formats into sun_path with snprintf, silently truncating a longer path.
    std::size_t n = std::min(path.size(), sizeof addr.sun_path - 1);
    std::memcpy(addr.sun_path, path.data(), n);
    return true;
}

} // namespace

std::string uapi_socket_path(const std::string& dir, const std::string& ifname) {
    std::string path = dir;
    if (path.empty() || path.back() != '/')
        path += '/';
    return path + ifname + std::string(SUFFIX);
}

bool uapi_has_interface(const std::string& dir, const std::string& ifname) {
    if (ifname.find('/') != std::string::npos)
        return false;
    sockaddr_un addr;
    fill_address(addr, uapi_socket_path(dir, ifname));
    struct stat st {};
    if (::stat(addr.sun_path, &st) < 0 || !S_ISSOCK(st.st_mode))
        return false;
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return false;
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 &&
        errno == ECONNREFUSED) {
        // The process behind it is gone: clean up, as wg does.
        ::unlink(addr.sun_path);
        return false;
    }
    return true;
}

Result<UniqueFd> uapi_connect(const std::string& dir, const std::string& ifname) {
    if (ifname.find('/') != std::string::npos)
        return errno_error(ifname, EINVAL);
    sockaddr_un addr;
    fill_address(addr, uapi_socket_path(dir, ifname));
    struct stat st {};
    if (::stat(addr.sun_path, &st) < 0)
        return errno_error(addr.sun_path, errno);
    if (!S_ISSOCK(st.st_mode))
        return errno_error(addr.sun_path, EBADF);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return errno_error("socket", errno);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
        int err = errno;
        if (err == ECONNREFUSED)
            ::unlink(addr.sun_path);
        return errno_error(addr.sun_path, err);
    }
    return fd;
}

Result<void> uapi_exchange(int fd, std::string_view request,
                           const std::function<bool(std::string_view)>& on_bytes) {
    while (!request.empty()) {
        ssize_t n = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return errno_error("send", n < 0 ? errno : EIO);
        request.remove_prefix(static_cast<std::size_t>(n));
    }
    char buf[65536];
    struct WipeOnExit {
        char* p;
        std::size_t n;
        ~WipeOnExit() { wipe(p, n); }
    } wipe_buf{buf, sizeof buf};
    std::size_t used = 0; // bytes of buf that may hold reply text
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno_error("read", errno);
        if (n == 0)
            return {}; // EOF: the caller decides whether what came is complete
        used = std::max(used, static_cast<std::size_t>(n));
        wipe_buf.n = used;
        if (on_bytes(std::string_view(buf, static_cast<std::size_t>(n))))
            return {};
    }
}

Result<SecretString> uapi_exchange(int fd, std::string_view request) {
    SecretString reply;
    // Only the new bytes are searched for the terminating empty line: a large device's reply
    // arrives in many small reads, and rescanning all of it each time would be quadratic.
    std::size_t scanned = 0;
    auto sink = [&](std::string_view piece) {
        reply.append(piece);
        if (reply[0] == '\n')
            return true;
        std::size_t from = scanned > 0 ? scanned - 1 : 0;
        scanned = reply.size();
        return reply.find("\n\n", from) != SecretString::npos;
    };
    if (auto r = uapi_exchange(fd, request, sink); !r)
        return r.error();
    return reply;
}

Result<std::vector<std::string>> uapi_list(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT)
            return names;
        return errno_error(dir, errno);
    }
    while (dirent* ent = ::readdir(d)) {
        std::string_view name = ent->d_name;
        if (name.size() <= SUFFIX.size() || name.substr(name.size() - SUFFIX.size()) != SUFFIX)
            continue;
        std::string ifname(name.substr(0, name.size() - SUFFIX.size()));
        if (uapi_has_interface(dir, ifname))
            names.push_back(std::move(ifname));
    }
    ::closedir(d);
    return names;
}

} // namespace wgx::ipc
