#pragma once
// The UAPI text protocol, client side (what wg does over /var/run/wireguard/IF.sock):
// encode get/set requests, parse the replies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "base/secret_string.hpp"
#include "model/device.hpp"

namespace wgx::uapi {

/// "get=1\n\n".
std::string encode_get_request();

/// "set=1\n", then the update's lines in wg's order, then "\n":
/// private_key (zero key = remove), listen_port, fwmark, replace_peers=true; per peer:
/// public_key, then remove=true alone if remove; else update_only=true, preshared_key,
/// endpoint, persistent_keepalive_interval, replace_allowed_ips=true, allowed_ip (a removal
/// is sent as allowed_ip=-prefix). Keys in lowercase hex. Peer::endpoint_host must have been
/// resolved first (unresolved names are not sent). Built in wiping memory: it may carry keys.
SecretString encode_set_request(const model::Device& update);

/// True once `buffer` holds a whole reply (it ends at the first empty line).
bool reply_complete(std::string_view buffer);

/// Parses a get reply ("key=value" lines, "errno=N", empty line). Returns the device state
/// (public_key derived from private_key; a zero preshared_key is left absent; handshake time,
/// rx/tx bytes, protocol_version filled). Errors, with an errno in Error::code as wg gives it:
/// a non-zero errno=N -> N; malformed lines -> EPROTO; an unparsable endpoint -> ENETUNREACH.
/// Unknown keys are ignored, as wg does. `name` becomes Device::name.
Result<model::Device> parse_get_reply(std::string_view reply, const std::string& name = {});

/// parse_get_reply fed as the reply arrives, so that a large device is parsed while the engine
/// is still sending it (as wg parses line by line from the socket). Lines may be split
/// anywhere between chunks; the result is the same as parse_get_reply of the whole text.
class GetReplyParser {
  public:
    explicit GetReplyParser(std::string name = {});
    GetReplyParser(const GetReplyParser&) = delete; // holds a pointer into its own peers
    GetReplyParser& operator=(const GetReplyParser&) = delete;
    /// Parses the complete lines of `bytes` (keeping a partial last line for the next call).
    /// True once nothing more is needed: the terminating empty line came, or a line failed.
    bool feed(std::string_view bytes);
    bool done() const { return done_; }
    /// The device, or the error; a reply that ended (EOF) before its empty line is EPROTO.
    Result<model::Device> finish();

  private:
    /// One line without its newline; false when the line fails (error_ set) or ends the reply.
    bool on_line(std::string_view line);

    model::Device dev_;
    model::Peer* peer_ = nullptr;
    std::optional<long long> errno_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> handshakes_; // (sec, nsec) per peer
    std::optional<Error> error_;
    /// A line split between two chunks; it may be the private key line, hence wiping memory.
    SecretString partial_;
    bool done_ = false;
};

/// Parses a set reply "errno=N\n\n": ok for 0, else Error::code = |N| (wireguard-go sends
/// negative values, e.g. errno=-22 -> EINVAL); EPROTO when the reply is not "errno=N".
Result<void> parse_set_reply(std::string_view reply);

} // namespace wgx::uapi
