#pragma once
// The UAPI unix sockets of userspace implementations: DIR/IF.sock. Finding, connecting and
// cleaning up stale ones exactly as wg does, and one request/reply exchange.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "base/secret_string.hpp"
#include "base/unique_fd.hpp"

namespace wgx::ipc {

/// DIR/IF.sock.
std::string uapi_socket_path(const std::string& dir, const std::string& ifname);

/// wg's test: IF.sock exists, is a socket, and a connect does not fail with ECONNREFUSED (a
/// refused socket belongs to a dead process and is unlinked). Names containing '/' never match.
bool uapi_has_interface(const std::string& dir, const std::string& ifname);

/// Connects to IF.sock. Errors (Error::code): EINVAL for a '/' in the name, the stat errno
/// (ENOENT ...), EBADF when it is not a socket, the connect errno (a refused socket is unlinked).
Result<UniqueFd> uapi_connect(const std::string& dir, const std::string& ifname);

/// Sends `request` and reads the reply up to its terminating empty line (or EOF). The reply may
/// carry the private key: it is read into wiping memory.
Result<SecretString> uapi_exchange(int fd, std::string_view request);

/// Sends `request`, then hands the reply to `on_bytes` piece by piece as it arrives, until
/// `on_bytes` returns true (it has the whole reply) or the engine closes the connection. The
/// read buffer is wiped: a piece may carry the private key.
Result<void> uapi_exchange(int fd, std::string_view request,
                           const std::function<bool(std::string_view)>& on_bytes);

/// The interfaces with a live socket in `dir`, in directory order (as wg lists them); a missing
/// directory is an empty list.
Result<std::vector<std::string>> uapi_list(const std::string& dir);

} // namespace wgx::ipc
