// libFuzzer harness: the UAPI codec. The input is fed to the server's stream parser in two
// chunks and parsed as a client reply. Properties: no crash; every set request the parser
// accepts re-encodes (client encoder) to a request that parses to the same encoding; every get
// reply the client accepts re-encodes (server encoder) to one that parses to the same encoding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "uapi/client.hpp"
#include "uapi/server.hpp"

using namespace wgx;

namespace {

void check_set_round_trip(const model::Device& update) {
    auto once = uapi::encode_set_request(update);
    uapi::RequestParser p;
    p.feed(once);
    auto e = p.next();
    if (!e || e->kind != uapi::ServerEvent::Kind::set ||
        uapi::encode_set_request(e->update) != once)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    uapi::RequestParser parser;
    std::size_t cut = size ? data[0] % (size + 1) : 0;
    parser.feed(bytes.substr(0, cut));
    parser.feed(bytes.substr(cut));
    parser.feed_eof();
    while (auto e = parser.next())
        if (e->kind == uapi::ServerEvent::Kind::set)
            check_set_round_trip(e->update);

    if (auto dev = uapi::parse_get_reply(bytes)) {
        auto once = uapi::encode_get_reply(*dev);
        auto again = uapi::parse_get_reply(once);
        if (!again || uapi::encode_get_reply(*again) != once)
            std::abort();
    }
    (void)uapi::parse_set_reply(bytes);
    return 0;
}
