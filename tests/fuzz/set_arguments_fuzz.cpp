// libFuzzer harness: the `wg set` argument grammar. The input is split at NUL bytes into an
// argument vector (as a shell would hand it over). Arguments naming a path are replaced (no file
// is read), and endpoint host names fail to resolve at once (a fake getaddrinfo).
// Properties: no crash or sanitizer report; an accepted update carries at most the peers named.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <netdb.h>
#include <string>
#include <vector>

#include "config/set_arguments.hpp"

using namespace wgx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args(1);
    for (std::size_t i = 0; i < size && args.size() < 256; ++i) {
        if (data[i] == 0)
            args.emplace_back();
        else
            args.back() += char(data[i]);
    }
    std::size_t peer_words = 0;
    for (auto& a : args) {
        // Never read real files from a fuzzer.
        if (a.find('/') != std::string::npos)
            a = "x";
        peer_words += a == "peer";
    }
    config::SetArgumentOptions options;
    options.warn = [](const std::string&) {};
    options.resolve_options = []() -> Result<config::ResolveOptions> {
        config::ResolveOptions r;
        r.retries = 0;
        r.sleep = [](std::chrono::microseconds) {};
        r.warn = [](const std::string&) {};
        r.getaddrinfo = [](const char*, const char*, const addrinfo*, addrinfo**) {
            return EAI_NONAME;
        };
        return r;
    };
    auto r = config::parse_set_arguments(args, options);
    if (r && r->peers.size() > peer_words)
        std::abort();
    return 0;
}
