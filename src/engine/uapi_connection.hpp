#pragma once
// One client of the UAPI socket. Non-blocking both ways, so that a slow or silent client holds
// only its own buffers, never the engine's loop; replies are queued and written as the client
// reads them. Several requests may follow each other on one connection, as with wireguard-go.
// A get reply is made as the client reads it, from a snapshot taken when it was asked.
#include <cstddef>
#include <optional>
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
    /// A get reply is made this many bytes at a time, as the client reads it.
    static constexpr std::size_t GET_REPLY_PIECE = 64 << 10;
    /// Pieces made per flush(): the loop goes back to packets in between (EPOLLOUT brings it
    /// back here while the client keeps reading).
    static constexpr int PIECES_PER_FLUSH = 8;

    UapiConnection(UniqueFd fd, MonoTime now) : fd_(std::move(fd)), last_active_(now) {}

    int fd() const { return fd_.get(); }
    MonoTime last_active() const { return last_active_; }

    /// Reads what the client sent (a bounded amount per call) into the request parser.
    /// False when the connection failed or overflowed and must be dropped.
    bool read_some(MonoTime now);
    /// The next complete request, if any.
    std::optional<uapi::ServerEvent> next_request();
    /// True while requests parsed but not yet taken wait.
    bool has_request() const { return parser_.has_events(); }
    /// Whether the next request may be answered now: no get reply is still being made and the
    /// text held is under MAX_PENDING_REPLY. Replies are queued only when this holds, so they
    /// go out in the order of the requests.
    bool ready_for_request() const { return !get_reply_ && out_.size() < MAX_PENDING_REPLY; }
    /// Queues a reply.
    void queue_reply(std::string_view reply) { out_.append(reply); }
    /// Queues a get reply, made a piece at a time by flush() as the client reads.
    void queue_get_reply(uapi::GetReplyEncoder reply) { get_reply_.emplace(std::move(reply)); }
    /// Writes as much of the queued replies as the socket takes (making at most
    /// PIECES_PER_FLUSH pieces of a get reply). False on a write error.
    bool flush();

    /// Reads only when every request read so far has been answered and its reply made: what a
    /// connection holds stays bounded (one read's worth of requests, one state snapshot, one
    /// piece or MAX_PENDING_REPLY of text) however many requests the client pipelines.
    bool wants_read() const {
        return !eof_ && !parser_.closed() && ready_for_request() && !has_request();
    }
    bool wants_write() const { return unsent() > 0 || get_reply_ || has_request(); }
    /// True when nothing more will happen here: the client is done (end of input or an
    /// unknown operation) and every reply has been written.
    bool finished() const { return (eof_ || parser_.closed()) && !wants_write(); }

  private:
    std::size_t unsent() const { return out_.size() - out_sent_; }

    UniqueFd fd_;
    uapi::RequestParser parser_;
    /// Replies not yet written; a get reply holds the private key, hence wiping memory.
    SecretString out_;
    std::size_t out_sent_ = 0;
    /// The get reply being made (its snapshot of the device), if any.
    std::optional<uapi::GetReplyEncoder> get_reply_;
    std::size_t bytes_since_request_ = 0;
    bool eof_ = false;
    MonoTime last_active_;
};

} // namespace wgx::engine
