#pragma once
// The UAPI text protocol, server side (what wireguard-go's device/uapi.go answers): a stream
// parser the engine feeds socket bytes into, and the get-reply encoder.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/secret_string.hpp"
#include "model/device.hpp"

namespace wgx::uapi {

/// The reference's error codes, sent as "errno=-N" (negative, as wireguard-go does).
inline constexpr int kErrIo = 5;         // EIO: a line too long / unreadable input
inline constexpr int kErrProtocol = 71;  // EPROTO: a line without '='
inline constexpr int kErrInvalid = 22;   // EINVAL: bad key or value
inline constexpr int kErrPortInUse = 98; // EADDRINUSE: listen_port/fwmark could not be applied
inline constexpr int kErrUnknown = 55;   // anything else

/// Longest request line accepted (bufio.Scanner's default limit in the reference).
inline constexpr std::size_t kMaxLineLength = 64 * 1024;

/// One thing a client asked for, in the order it was asked.
struct ServerEvent {
    enum class Kind {
        get,   ///< "get=1\n\n": answer with encode_get_reply(state).
        set,   ///< "set=1\n...\n": apply `update`, answer encode_errno(0) or the apply error.
        error, ///< a malformed request: answer encode_errno(code); parsing goes on.
        close, ///< an unknown operation line: close the connection without answering.
        wgx_counters, ///< "wgx_counters=1\n\n" (wgx only): answer encode_wgx_counters().
    };
    Kind kind = Kind::close;
    /// Kind::set: the update, with the reference's semantics kept in order: Device fields from
    /// the device lines; one Peer per public_key line (a key repeated gives two entries, to be
    /// applied in order); remove / update_only / replace_allowed_ips flags; allowed_ips in
    /// order, "-prefix" ones with remove=true. An allowed_ip before replace_allowed_ips=true in
    /// the same peer is dropped (the reference adds it, then removes it). A zero private key
    /// means "remove the private key"; a zero preshared key means "none".
    model::Device update;
    /// Kind::error: positive errno (kErrInvalid, ...), sent as "errno=-code".
    int code = 0;
    /// Kind::error/close: why, for the log (never contains key material).
    std::string message;
};

/// Stream parser for one connection. Unlike the reference (which applies each line as it
/// reads it), a set request is delivered whole, so a bad line leaves nothing half-applied.
/// After an error in a set request the rest of that request (up to its empty line) is skipped.
class RequestParser {
  public:
    /// Appends bytes read from the socket; complete requests become events.
    void feed(std::string_view bytes);
    /// The client shut down its sending side: a set request lacking only its empty line is
    /// completed (as the reference does at EOF); a partial operation line is dropped.
    void feed_eof();
    /// The next event, oldest first.
    std::optional<ServerEvent> next();
    /// True after Kind::close was produced: ignore further bytes.
    bool closed() const { return closed_; }
    /// True while events wait to be taken by next().
    bool has_events() const { return !events_.empty(); }

  private:
    enum class State { op, get_terminator, set_body, skip_set };
    void on_line(std::string_view line);
    void on_set_line(std::string_view line);
    void emit_error(int code, std::string message, bool skip_rest);

    State state_ = State::op;
    /// Bytes not yet parsed; a set request's private_key line passes through here.
    SecretString pending_;
    std::deque<ServerEvent> events_;
    model::Device update_;
    bool device_section_ = true;
    bool peer_ignored_ = false; // after remove=true: further peer lines change nothing
    bool closed_ = false;
    bool counters_request_ = false; // the get_terminator state ends a wgx_counters request
};

/// "errno=-N\n\n" for code N > 0, "errno=0\n\n" for 0.
std::string encode_errno(int code);

/// The get reply for a device state, in the reference's order and format, ending with
/// "errno=0\n\n": private_key (if any), listen_port (if non-zero), fwmark (if non-zero); per
/// peer: public_key, preshared_key (zeros when none), protocol_version (1 when absent),
/// endpoint (if any), last_handshake_time_sec/nsec, tx_bytes, rx_bytes,
/// persistent_keepalive_interval, allowed_ip (each, as stored). It carries the private key, so
/// it is built in wiping memory.
SecretString encode_get_reply(const model::Device& state);

/// encode_get_reply a piece at a time: the state is taken whole when the request is answered
/// (a consistent snapshot), its text is made as the client reads it. The client then parses
/// the first peers while the rest is still being made, and a connection holds the snapshot
/// and one piece of text instead of the whole reply (about 450 bytes per peer).
class GetReplyEncoder {
  public:
    explicit GetReplyEncoder(model::Device state) : state_(std::move(state)) {}
    /// Appends whole lines of the reply to `out` until it holds at least `budget` bytes or the
    /// reply is complete (a peer's lines are never split). True once the reply is complete.
    bool append_some(SecretString& out, std::size_t budget);
    bool done() const { return done_; }

  private:
    model::Device state_;
    std::size_t next_peer_ = 0;
    bool started_ = false;
    bool done_ = false;
};

} // namespace wgx::uapi
