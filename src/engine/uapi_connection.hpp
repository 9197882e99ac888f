#pragma once
// One client of the UAPI socket. Non-blocking both ways, so that a slow or silent client holds
// only its own buffers, never the engine's loop; replies are queued and written as the client
// reads them. Several requests may follow each other on one connection, as with wireguard-go.
#include <cstddef>
#include <string>

#include "base/now.hpp"
#include "base/secret_string.hpp"
#include "base/unique_fd.hpp"
#include "uapi/server.hpp"

namespace wgx::engine {

class UapiConnection {
  public:
    /// Replies waiting beyond this many bytes stop the reading of further requests.
    static constexpr std::size_t MAX_PENDING_REPLY = 16 << 20;
    /// A request still incomplete after this many bytes ends the connection.
    static constexpr std::size_t MAX_REQUEST_BYTES = 64 << 20;

    UapiConnection(UniqueFd fd, MonoTime now) : fd_(std::move(fd)), last_active_(now) {}

    int fd() const { return fd_.get(); }
    MonoTime last_active() const { return last_active_; }

    /// Reads what the client sent (a bounded amount per call) into the request parser.
    /// False when the connection failed or overflowed and must be dropped.
    bool read_some(MonoTime now);
    /// The next complete request, if any.
    std::optional<uapi::ServerEvent> next_request();
    /// Queues a reply.
    void queue_reply(std::string_view reply) { out_.append(reply); }
    /// Writes as much of the queued replies as the socket takes. False on a write error.
    bool flush();

    bool wants_read() const {
        return !eof_ && !parser_.closed() && out_.size() < MAX_PENDING_REPLY;
    }
    bool wants_write() const { return !out_.empty(); }
    /// True when nothing more will happen here: the client is done (end of input or an
    /// unknown operation) and every reply has been written.
    bool finished() const { return (eof_ || parser_.closed()) && out_.empty(); }

  private:
    UniqueFd fd_;
    uapi::RequestParser parser_;
    /// Replies not yet written; a get reply holds the private key, hence wiping memory.
    SecretString out_;
    std::size_t out_sent_ = 0;
    std::size_t bytes_since_request_ = 0;
    bool eof_ = false;
    MonoTime last_active_;
};

} // namespace wgx::engine
