// The kernel backend: get/set over the wireguard generic netlink family, list over rtnetlink.
#include "ipc/genetlink_backend.hpp"

#include <cerrno>
#include <cstring>
#include <optional>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>
#include <netlink/msg.h>

#include "ipc/allowed_ip_removal.hpp"
#include "ipc/genetlink_attr.hpp"
#include "ipc/genetlink_codec.hpp"
#include "ipc/genetlink_features.hpp"
#include "ipc/genetlink_socket.hpp"
#include "netlink/socket.hpp"

namespace wgx::ipc {

namespace {

using genetlink::GenlSocket;

/// A dump interrupted by a concurrent change is retried, as wg does, a bounded number of times.
constexpr int DUMP_ATTEMPTS = 16;

/// Names of the links whose kind is "wireguard" (IFLA_LINKINFO / IFLA_INFO_KIND), in the
/// kernel's order.
Result<std::vector<std::string>> wireguard_links() {
    auto sock = netlink::Socket::open();
    if (!sock)
        return genetlink::errno_error(sock.error().code ? sock.error().code : EIO);
    nl_msg* msg = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    if (!msg)
        return genetlink::errno_error(ENOMEM);
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    if (nlmsg_append(msg, &ifi, sizeof ifi, NLMSG_ALIGNTO) < 0) {
        nlmsg_free(msg);
        return genetlink::errno_error(ENOMEM);
    }
    std::vector<std::string> names;
    auto r = sock->dump(msg, [&](nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg)))
            return;
        std::size_t skip = NLMSG_ALIGN(sizeof(ifinfomsg));
        ByteView attrs(static_cast<const std::uint8_t*>(NLMSG_DATA(h)) + skip,
                       h->nlmsg_len - NLMSG_LENGTH(skip));
        std::string name;
        bool wireguard = false;
        ipc::nl::for_each_attr(attrs, [&](const ipc::nl::Attr& a) {
            if (a.type == IFLA_IFNAME)
                name = a.string();
            else if (a.type == IFLA_LINKINFO)
                ipc::nl::for_each_attr(a.payload, [&](const ipc::nl::Attr& info) {
                    if (info.type == IFLA_INFO_KIND && info.string() == WG_GENL_NAME)
                        wireguard = true;
                });
        });
        if (wireguard && !name.empty())
            names.push_back(std::move(name));
    });
    if (!r)
        return genetlink::errno_error(r.error().code ? r.error().code : EIO);
    return names;
}

class GenetlinkBackend final : public Backend {
  public:
    Result<model::Device> get(const std::string& ifname) override {
        auto c = genetlink::connect_wireguard();
        if (!c)
            return c.error();
        return get_on(*c, ifname);
    }

    Result<void> set(const model::Device& update) override {
        auto c = genetlink::connect_wireguard();
        if (!c)
            return c.error();
        genetlink::SetEncoding how;
        const model::Device* to_send = &update;
        model::Device emulated;
        if (has_allowed_ip_removals(update)) {
            how.native_allowed_ip_removal = native_removal(*c);
            if (!how.native_allowed_ip_removal) {
                // Older kernels reject WGALLOWEDIP_A_FLAGS after applying what came before it:
                // rewrite the affected peers as replace-allowed-ips with their resulting lists.
                auto current = get_on(*c, update.name);
                if (!current)
                    return current.error();
                emulated = emulate_allowed_ip_removals(update, *current);
                to_send = &emulated;
            }
        }
        auto messages = genetlink::encode_set_device(*to_send, how);
        if (!messages)
            return messages.error();
        for (const auto& m : *messages)
            if (auto r = c->sock.request(c->family, WG_CMD_SET_DEVICE, WG_GENL_VERSION, m); !r)
                return r;
        return {};
    }

    Result<std::vector<std::string>> list() override { return wireguard_links(); }

  private:
    Result<model::Device> get_on(genetlink::WireguardConnection& c, const std::string& ifname) {
        Bytes request = genetlink::encode_get_device(ifname);
        for (int attempt = 1;; ++attempt) {
            genetlink::DeviceDumpReader reader(ifname);
            bool interrupted = false;
            auto r = c.sock.dump(
                c.family, WG_CMD_GET_DEVICE, WG_GENL_VERSION, request,
                [&](ByteView attrs) { return reader.add(attrs); }, &interrupted);
            if (!r && r.error().code != EINTR)
                return r.error();
            if (r && !interrupted)
                return reader.take();
            if (attempt >= DUMP_ATTEMPTS)
                return genetlink::errno_error(EINTR);
        }
    }

    /// Whether the kernel takes WGALLOWEDIP_F_REMOVE_ME, from its policy dump; asked once.
    bool native_removal(genetlink::WireguardConnection& c) {
        if (!native_removal_) {
            // A kernel without policy dumps (before 5.8) has no removal flag either.
            auto policy = genetlink::dump_policy(c.sock, c.family);
            native_removal_ = policy && policy->allowed_ip_flags_supported();
        }
        return *native_removal_;
    }

    std::optional<bool> native_removal_;
};

} // namespace

std::unique_ptr<Backend> make_genetlink_backend() {
    return std::make_unique<GenetlinkBackend>();
}

} // namespace wgx::ipc
