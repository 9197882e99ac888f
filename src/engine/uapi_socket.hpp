#pragma once
// The UAPI socket file, /var/run/wireguard/IFNAME.sock, as wireguard-go makes it: directory 0755,
// socket 0700 (umask 077), a stale socket replaced, a live one (some engine still answers)
// refused. The engine ends when the file is removed, and removes it when it ends -- unless
// another engine has put its own socket there meanwhile.
#include <string>
#include <sys/types.h>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace wgx::engine {

/// wireguard-go's socket directory.
inline constexpr const char* SOCKET_DIRECTORY = "/var/run/wireguard";

/// "<dir>/<ifname>.sock".
std::string uapi_socket_path(const std::string& dir, const std::string& ifname);

class UapiSocket {
  public:
    UapiSocket() = default;
    UapiSocket(UapiSocket&&) noexcept = default;
    UapiSocket& operator=(UapiSocket&&) noexcept;
    ~UapiSocket();

    /// Creates and listens on the socket for `ifname` in `dir`.
    static Result<UapiSocket> open(const std::string& dir, const std::string& ifname);
    /// Adopts a listening socket inherited from the parent (WG_UAPI_FD).
    static Result<UapiSocket> adopt(int fd, const std::string& dir, const std::string& ifname);

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }

    /// Watches the file (inotify) so that its removal wakes the engine; the fd to poll.
    Result<int> watch();
    /// Drains the watch's events; true while our socket file is still in place.
    bool still_present();

  private:
    void remove_if_ours();

    UniqueFd fd_;
    UniqueFd inotify_;
    std::string path_;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

} // namespace wgx::engine
