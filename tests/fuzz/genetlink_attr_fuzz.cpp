// libFuzzer harness: the netlink attribute reader and the wireguard genetlink dump decoder. The
// input is split into reply messages (2-byte length prefix) fed to one DeviceDumpReader.
// Properties: no crash or sanitizer report; for_each_attr visits only attributes that lie inside
// the buffer; a decoded device re-encodes as a set request without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ipc/genetlink_attr.hpp"
#include "ipc/genetlink_codec.hpp"

using namespace wgx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteView all(data, size);
    (void)ipc::nl::for_each_attr(all, [&](const ipc::nl::Attr& a) {
        if (!a.payload.empty() &&
            (a.payload.data() < data || a.payload.data() + a.payload.size() > data + size))
            std::abort();
        (void)a.u8(), (void)a.u16(), (void)a.u32(), (void)a.u64(), (void)a.string();
    });

    ipc::genetlink::DeviceDumpReader reader("wg0");
    std::size_t pos = 0;
    bool ok = true;
    while (pos + 2 <= size && ok) {
        std::size_t n = std::size_t(data[pos] | data[pos + 1] << 8);
        pos += 2;
        n = std::min(n, size - pos);
        ok = bool(reader.add(ByteView(data + pos, n)));
        pos += n;
    }
    if (ok) {
        auto device = reader.take();
        ipc::genetlink::SetEncoding how;
        how.native_allowed_ip_removal = true;
        (void)ipc::genetlink::encode_set_device(device, how);
    }
    return 0;
}
