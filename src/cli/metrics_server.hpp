#pragma once
// The smallest HTTP/1.x server a Prometheus scrape needs: one connection at a time, GET of
// /metrics (or /) answered with the text exposition format, then the connection is closed.
#include <functional>
#include <string>
#include <string_view>

#include "base/ip.hpp"
#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace wgx::cli {

/// The response to one request (its head, up to the blank line): status line, headers, body.
/// GET /metrics and GET / give 200 with `body()`; other paths 404; other methods 405.
std::string http_response(std::string_view request_head, const std::function<std::string()>& body);

/// A listening TCP socket on `address`.
Result<UniqueFd> listen_tcp(const Endpoint& address);
/// Serves connections on `listener` until `stop()` is true (checked at least once a second).
void serve_http(int listener, const std::function<std::string()>& body,
                const std::function<bool()>& stop);

} // namespace wgx::cli
