#include "engine/uapi_connection.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace wgx::engine {

namespace {
/// Wipes the receive buffer however read_some returns: a set request may carry a private key.
struct WipeOnExit {
    void* p;
    std::size_t n;
    ~WipeOnExit() { wipe(p, n); }
};
} // namespace

bool UapiConnection::read_some(MonoTime now) {
    char buffer[16384];
    WipeOnExit wipe_buffer{buffer, sizeof buffer};
    for (int i = 0; i < 16 && wants_read(); ++i) {
        ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        last_active_ = now;
        if (n == 0) {
            eof_ = true;
            parser_.feed_eof();
            return true;
        }
        bytes_since_request_ += std::size_t(n);
        if (bytes_since_request_ > MAX_REQUEST_BYTES)
            return false;
        parser_.feed(std::string_view(buffer, std::size_t(n)));
    }
    return true;
}

std::optional<uapi::ServerEvent> UapiConnection::next_request() {
    auto event = parser_.next();
    if (event)
        bytes_since_request_ = 0;
    return event;
}

bool UapiConnection::flush() {
    int pieces = 0;
    while (true) {
        if (unsent() == 0) {
            if (!get_reply_ || pieces == PIECES_PER_FLUSH)
                break;
            // The buffer is kept for the next piece; wipe_and_release below wipes it at the end.
            out_.clear();
            out_sent_ = 0;
            if (get_reply_->append_some(out_, GET_REPLY_PIECE))
                get_reply_.reset();
            ++pieces;
        }
        ssize_t n =
            ::send(fd_.get(), out_.data() + out_sent_, unsent(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        out_sent_ += std::size_t(n);
    }
    if (!get_reply_) {
        out_.wipe_and_release();
        out_sent_ = 0;
    }
    return true;
}

} // namespace wgx::engine
