#include "engine/uapi_socket.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

namespace wgx::engine {
namespace {

Error listen_error(int err) {
    return make_error(fmt::format("UAPI listen error: {}", std::strerror(err)), err);
}

bool make_address(const std::string& path, sockaddr_un& addr) {
    addr = sockaddr_un{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        return false;
    std::memcpy(addr.sun_path, path.data(), path.size());
    return true;
}

/// True when some process accepts connections on `path`.
bool socket_is_live(const sockaddr_un& addr) {
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    return probe &&
           ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

int bind_and_listen(int fd, const sockaddr_un& addr) {
    // umask 077 while binding: the socket file is created 0700, as wireguard-go's.
    mode_t old = ::umask(0077);
    int r = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    int err = errno;
    ::umask(old);
    if (r < 0)
        return -err;
    return ::listen(fd, SOMAXCONN) < 0 ? -errno : 0;
}

} // namespace

std::string uapi_socket_path(const std::string& dir, const std::string& ifname) {
    return dir + "/" + ifname + ".sock";
}

UapiSocket& UapiSocket::operator=(UapiSocket&& o) noexcept {
    if (this != &o) {
        remove_if_ours();
        fd_ = std::move(o.fd_);
        inotify_ = std::move(o.inotify_);
        path_ = std::move(o.path_);
        dev_ = std::exchange(o.dev_, 0);
        ino_ = std::exchange(o.ino_, 0);
    }
    return *this;
}

UapiSocket::~UapiSocket() {
    remove_if_ours();
}

void UapiSocket::remove_if_ours() {
    if (!fd_ || path_.empty() || ino_ == 0)
        return;
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
        ::unlink(path_.c_str());
    ino_ = 0;
}

Result<UapiSocket> UapiSocket::open(const std::string& dir, const std::string& ifname) {
    if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
        return listen_error(errno);
    UapiSocket s;
    s.path_ = uapi_socket_path(dir, ifname);
    sockaddr_un addr;
    if (!make_address(s.path_, addr))
        return listen_error(ENAMETOOLONG);
    s.fd_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!s.fd_)
        return listen_error(errno);
    int r = bind_and_listen(s.fd_.get(), addr);
    if (r == -EADDRINUSE) {
        if (socket_is_live(addr))
            return make_error("UAPI listen error: unix socket in use", EADDRINUSE);
        // Left behind by an engine that died: replace it.
        if (::unlink(s.path_.c_str()) < 0 && errno != ENOENT)
            return listen_error(errno);
        r = bind_and_listen(s.fd_.get(), addr);
    }
    if (r < 0)
        return listen_error(-r);
    struct stat st {};
    if (::lstat(s.path_.c_str(), &st) == 0) {
        s.dev_ = st.st_dev;
        s.ino_ = st.st_ino;
    }
    return s;
}

Result<UapiSocket> UapiSocket::adopt(int fd, const std::string& dir, const std::string& ifname) {
    UapiSocket s;
    s.fd_ = UniqueFd(fd);
    s.path_ = uapi_socket_path(dir, ifname);
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return listen_error(errno);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    int accepting = 0;
    socklen_t len = sizeof accepting;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0 || !accepting)
        return listen_error(ENOTSOCK);
    struct stat st {};
    if (::lstat(s.path_.c_str(), &st) == 0) {
        s.dev_ = st.st_dev;
        s.ino_ = st.st_ino;
    }
    return s;
}

Result<int> UapiSocket::watch() {
    inotify_ = UniqueFd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!inotify_)
        return make_error(fmt::format("Failed to watch UAPI socket: {}", std::strerror(errno)),
                          errno);
    // IN_ATTRIB fires when the link count drops (unlink); IN_DELETE_SELF when the inode goes.
    if (::inotify_add_watch(inotify_.get(), path_.c_str(), IN_ATTRIB | IN_DELETE_SELF) < 0)
        return make_error(fmt::format("Failed to watch UAPI socket: {}", std::strerror(errno)),
                          errno);
    return inotify_.get();
}

bool UapiSocket::still_present() {
    alignas(inotify_event) char buffer[4096];
    while (::read(inotify_.get(), buffer, sizeof buffer) > 0) {
    }
    struct stat st {};
    return ::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

} // namespace wgx::engine
