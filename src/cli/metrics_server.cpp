#include "cli/metrics_server.hpp"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wgx::cli {

namespace {

constexpr std::size_t MAX_REQUEST_HEAD = 8192;

std::string reply(std::string_view status, std::string_view type, const std::string& body) {
    return "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: " + std::string(type) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the client went away: nothing to tell it
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// Reads up to the blank line ending the request head; gives up after 2 s of silence.
std::string read_head(int fd) {
    std::string head;
    char buf[1024];
    while (head.size() < MAX_REQUEST_HEAD && head.find("\r\n\r\n") == std::string::npos &&
           head.find("\n\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 2000) <= 0)
            break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        head.append(buf, static_cast<std::size_t>(n));
    }
    return head;
}

} // namespace

std::string http_response(std::string_view head, const std::function<std::string()>& body) {
    std::string_view line = head.substr(0, head.find_first_of("\r\n"));
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos)
        return reply("400 Bad Request", "text/plain", "bad request\n");
    std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    target = target.substr(0, target.find('?'));
    if (method != "GET" && method != "HEAD")
        return reply("405 Method Not Allowed", "text/plain", "only GET\n");
    if (target != "/metrics" && target != "/")
        return reply("404 Not Found", "text/plain", "see /metrics\n");
    std::string response = reply("200 OK", "text/plain; version=0.0.4; charset=utf-8", body());
    if (method == "HEAD")
        response.resize(response.find("\r\n\r\n") + 4);
    return response;
}

Result<UniqueFd> listen_tcp(const Endpoint& address) {
    UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return make_error(std::string("Unable to create socket: ") + std::strerror(errno), errno);
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), address.sa(), address.sa_len()) < 0 || ::listen(fd.get(), 16) < 0)
        return make_error(std::string("Unable to listen: ") + std::strerror(errno), errno);
    return fd;
}

void serve_http(int listener, const std::function<std::string()>& body,
                const std::function<bool()>& stop) {
    while (!stop()) {
        pollfd p{listener, POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0)
            continue;
        UniqueFd client(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
        if (!client)
            continue;
        write_all(client.get(), http_response(read_head(client.get()), body));
    }
}

} // namespace wgx::cli
