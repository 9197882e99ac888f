#include "ipc/uapi_backend.hpp"

#include <net/if.h>

#include "ipc/uapi_socket.hpp"
#include "uapi/client.hpp"

namespace wgx::ipc {

namespace {

class UapiBackend final : public Backend {
  public:
    explicit UapiBackend(std::string dir) : dir_(std::move(dir)) {}

    Result<model::Device> get(const std::string& ifname) override {
        auto fd = uapi_connect(dir_, ifname);
        if (!fd)
            return fd.error();
        // wg names the device after the request, cut to IFNAMSIZ - 1 characters.
        uapi::GetReplyParser parser(ifname.substr(0, IFNAMSIZ - 1));
        // Parsed as it arrives: a large device's reply is parsed while the engine still sends.
        auto exchanged = uapi_exchange(fd->get(), uapi::encode_get_request(),
                                       [&](std::string_view piece) { return parser.feed(piece); });
        if (!exchanged)
            return exchanged.error();
        return parser.finish();
    }

    Result<void> set(const model::Device& update) override {
        auto fd = uapi_connect(dir_, update.name);
        if (!fd)
            return fd.error();
        auto reply = uapi_exchange(fd->get(), uapi::encode_set_request(update));
        if (!reply)
            return reply.error();
        return uapi::parse_set_reply(*reply);
    }

    Result<std::vector<std::string>> list() override { return uapi_list(dir_); }

  private:
    std::string dir_;
};

} // namespace

std::unique_ptr<Backend> make_uapi_backend(std::string socket_dir) {
    return std::make_unique<UapiBackend>(std::move(socket_dir));
}

} // namespace wgx::ipc
