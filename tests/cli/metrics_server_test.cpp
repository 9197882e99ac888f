#include <doctest/doctest.h>

#include "cli/metrics_server.hpp"

using namespace wgx::cli;

namespace {
std::string body() {
    return "wgx_stale_after_seconds 180\n";
}
} // namespace

TEST_CASE("GET /metrics and / get the exposition with its content type and length") {
    for (const char* head : {"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.0\r\n\r\n",
                             "GET /metrics?x=1 HTTP/1.1\r\n\r\n"}) {
        auto r = http_response(head, body);
        CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
        CHECK(r.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") !=
              std::string::npos);
        CHECK(r.find("Content-Length: 28\r\n") != std::string::npos);
        CHECK(r.substr(r.size() - 28) == body());
    }
}

TEST_CASE("HEAD has no body, and other paths, methods and garbage are refused") {
    auto head = http_response("HEAD /metrics HTTP/1.1\r\n\r\n", body);
    CHECK(head.find("Content-Length: 28\r\n") != std::string::npos);
    CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
    CHECK(http_response("GET /other HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.1 404", 0) == 0);
    CHECK(http_response("POST /metrics HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.1 405", 0) == 0);
    CHECK(http_response("", body).rfind("HTTP/1.1 400", 0) == 0);
    CHECK(http_response("nonsense\r\n\r\n", body).rfind("HTTP/1.1 400", 0) == 0);
}
