// The backend choice, as wg makes it: a live UAPI socket wins; otherwise the kernel.
#include "ipc/ipc.hpp"

#include "crypto/x25519.hpp"
#include "ipc/allowed_ip_removal.hpp"
#include "ipc/genetlink_backend.hpp"
#include "ipc/uapi_backend.hpp"
#include "ipc/uapi_socket.hpp"

namespace wgx::ipc {

namespace {

const std::string SOCKET_DIR = "/var/run/wireguard";

Backend& userspace() {
    static std::unique_ptr<Backend> b = make_uapi_backend(SOCKET_DIR);
    return *b;
}

Backend& kernel() {
    static std::unique_ptr<Backend> b = make_genetlink_backend();
    return *b;
}

Backend& backend_for(const std::string& ifname) {
    return uapi_has_interface(SOCKET_DIR, ifname) ? userspace() : kernel();
}

bool is_userspace(const Backend& b) {
    return &b == &userspace();
}

} // namespace

Result<model::Device> get_device(const std::string& ifname) {
    auto dev = backend_for(ifname).get(ifname);
    if (dev && dev->private_key && !dev->public_key)
        dev->public_key = crypto::public_key_of(*dev->private_key);
    return dev;
}

Result<void> set_device(const model::Device& update) {
    // Removals are probed for over UAPI only: an implementation that does not know
    // "allowed_ip=-P" rejects it there (errno=-22), while an old kernel might not.
    Backend& b = backend_for(update.name);
    return set_with_removals(b, update, is_userspace(b));
}

Result<std::vector<std::string>> list_devices() {
    // Kernel interfaces first, then userspace sockets, as wg lists them.
    auto names = kernel().list();
    if (!names)
        return names.error();
    auto user = userspace().list();
    if (!user)
        return user.error();
    for (auto& n : *user)
        names->push_back(std::move(n));
    return names;
}

} // namespace wgx::ipc
