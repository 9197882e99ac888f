#pragma once
// The UAPI text protocol over /var/run/wireguard/IF.sock (userspace implementations).
#include <memory>
#include <string>

#include "ipc/backend.hpp"

namespace wgx::ipc {

/// A backend talking to userspace implementations through their unix sockets in `socket_dir`.
std::unique_ptr<Backend> make_uapi_backend(std::string socket_dir = "/var/run/wireguard");

} // namespace wgx::ipc
