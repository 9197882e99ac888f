#include "ipc/wgx_counters.hpp"

#include <cerrno>

#include "ipc/uapi_socket.hpp"

namespace wgx::ipc {

namespace {
constexpr const char* SOCKET_DIR = "/var/run/wireguard";
} // namespace

Result<uapi::WgxCounters> get_wgx_counters(const std::string& ifname) {
    if (!uapi_has_interface(SOCKET_DIR, ifname))
        return make_error("no UAPI socket for " + ifname, EOPNOTSUPP);
    auto fd = uapi_connect(SOCKET_DIR, ifname);
    if (!fd)
        return fd.error();
    auto reply = uapi_exchange(fd->get(), uapi::WGX_COUNTERS_REQUEST);
    if (!reply)
        return make_error("wgx_counters: not supported by this implementation", EOPNOTSUPP);
    return uapi::decode_wgx_counters(*reply);
}

} // namespace wgx::ipc
