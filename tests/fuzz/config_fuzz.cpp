// libFuzzer harness: the configuration reader (both grammars) and the showconf writer.
// Properties: no crash or sanitizer report; a file that reads cleanly, written back by
// write_showconf and read again, gives the same showconf text (the writer's output is a valid
// configuration that means the same thing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_reader.hpp"
#include "config/config_writer.hpp"

using namespace wgx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (auto mode : {config::Mode::wg, config::Mode::quick}) {
        auto r = config::read_config_text(text, mode, "fuzz.conf");
        if (!r)
            continue;
        (void)r->stripped();
        // Unresolved host names cannot be written; leave them out of the round trip.
        for (auto& p : r->device.peers)
            p.endpoint_host.reset();
        auto once = config::write_showconf(r->device);
        auto again = config::read_config_text(once, config::Mode::wg, "showconf");
        if (!again || config::write_showconf(again->device) != once)
            std::abort();
    }
    return 0;
}
