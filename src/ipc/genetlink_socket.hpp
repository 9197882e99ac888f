#pragma once
// One generic netlink conversation with the kernel: a libnl-genl socket, requests framed by
// hand, and every reply checked for the kernel's errno (NLMSG_ERROR, or the code NLMSG_DONE
// carries at the end of a dump), which wg prints with strerror.
#include <cstdint>
#include <functional>

#include "base/bytes.hpp"
#include "base/result.hpp"

struct nl_sock;

namespace wgx::ipc::genetlink {

/// An Error whose message is strerror(code), as "Unable to access interface: <message>" wants.
Error errno_error(int code);

class GenlSocket {
  public:
    /// A connected NETLINK_GENERIC socket.
    static Result<GenlSocket> open();

    GenlSocket(GenlSocket&&) noexcept;
    GenlSocket& operator=(GenlSocket&&) noexcept;
    GenlSocket(const GenlSocket&) = delete;
    GenlSocket& operator=(const GenlSocket&) = delete;
    ~GenlSocket();

    /// The id of family `name`. EPROTONOSUPPORT when the kernel has no such family (for
    /// wireguard: the module is absent), as wg reports it.
    Result<std::uint16_t> family_id(const char* name);

    /// Hands each reply's attributes (after the genetlink header) to `on_reply`; an error it
    /// returns stops the conversation (the rest of the replies are drained).
    using ReplyFn = std::function<Result<void>(ByteView attrs)>;

    /// A dump request (NLM_F_DUMP): replies until NLMSG_DONE. `interrupted` is set when the
    /// kernel flagged the dump inconsistent (NLM_F_DUMP_INTR: the object changed meanwhile).
    Result<void> dump(std::uint16_t family, std::uint8_t cmd, std::uint8_t version, ByteView attrs,
                      const ReplyFn& on_reply, bool* interrupted = nullptr);
    /// A request with NLM_F_ACK: waits for the acknowledgement.
    Result<void> request(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
                         ByteView attrs);

  private:
    explicit GenlSocket(nl_sock* sock) : sock_(sock) {}
    Result<void> converse(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
                          std::uint16_t flags, ByteView attrs, const ReplyFn* on_reply,
                          bool* interrupted);
    nl_sock* sock_ = nullptr;
};

/// A genetlink socket with the wireguard family resolved: what every kernel call starts from.
struct WireguardConnection {
    GenlSocket sock;
    std::uint16_t family;
};

/// Opens a socket and looks up "wireguard"; EPROTONOSUPPORT when the module is absent.
Result<WireguardConnection> connect_wireguard();

} // namespace wgx::ipc::genetlink
