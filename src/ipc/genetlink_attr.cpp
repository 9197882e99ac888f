#include "ipc/genetlink_attr.hpp"

#include <cstring>

namespace wgx::ipc::nl {

namespace {

/// Host byte order, as netlink carries integers (not the protocol's little-endian helpers).
template <typename T>
std::optional<T> native(ByteView p) {
    if (p.size() < sizeof(T))
        return std::nullopt;
    T v;
    std::memcpy(&v, p.data(), sizeof(T));
    return v;
}

void put_header(Bytes& buf, std::size_t at, std::uint16_t len, std::uint16_t type) {
    std::memcpy(buf.data() + at, &len, 2);
    std::memcpy(buf.data() + at + 2, &type, 2);
}

} // namespace

bool AttrWriter::put(std::uint16_t type, ByteView payload) {
    std::size_t total = align(ATTR_HEADER + payload.size());
    if (total > room() || ATTR_HEADER + payload.size() > 0xffff)
        return false;
    std::size_t at = buf_.size();
    buf_.resize(at + total, 0);
    put_header(buf_, at, std::uint16_t(ATTR_HEADER + payload.size()), type);
    if (!payload.empty())
        std::memcpy(buf_.data() + at + ATTR_HEADER, payload.data(), payload.size());
    return true;
}

bool AttrWriter::put_u16(std::uint16_t type, std::uint16_t v) {
    return put(type, ByteView(reinterpret_cast<const std::uint8_t*>(&v), sizeof v));
}

bool AttrWriter::put_u32(std::uint16_t type, std::uint32_t v) {
    return put(type, ByteView(reinterpret_cast<const std::uint8_t*>(&v), sizeof v));
}

bool AttrWriter::put_string(std::uint16_t type, std::string_view s) {
    Bytes b(s.begin(), s.end());
    b.push_back(0);
    return put(type, b);
}

std::optional<std::size_t> AttrWriter::begin_nest(std::uint16_t type, std::size_t reserve) {
    if (ATTR_HEADER + reserve > room())
        return std::nullopt;
    std::size_t at = buf_.size();
    buf_.resize(at + ATTR_HEADER, 0);
    put_header(buf_, at, 0, std::uint16_t(type | F_NESTED));
    return at;
}

void AttrWriter::end_nest(std::size_t at) {
    std::uint16_t len = std::uint16_t(buf_.size() - at);
    std::memcpy(buf_.data() + at, &len, 2);
}

std::optional<std::uint8_t> Attr::u8() const {
    return native<std::uint8_t>(payload);
}
std::optional<std::uint16_t> Attr::u16() const {
    return native<std::uint16_t>(payload);
}
std::optional<std::uint32_t> Attr::u32() const {
    return native<std::uint32_t>(payload);
}
std::optional<std::uint64_t> Attr::u64() const {
    return native<std::uint64_t>(payload);
}

std::string_view Attr::string() const {
    auto* p = reinterpret_cast<const char*>(payload.data());
    std::size_t n = 0;
    while (n < payload.size() && p[n] != '\0')
        ++n;
    return std::string_view(p, n);
}

bool for_each_attr(ByteView stream, const std::function<void(const Attr&)>& fn) {
    std::size_t off = 0;
    while (off + ATTR_HEADER <= stream.size()) {
        std::uint16_t len, type;
        std::memcpy(&len, stream.data() + off, 2);
        std::memcpy(&type, stream.data() + off + 2, 2);
        if (len < ATTR_HEADER || off + len > stream.size())
            return false;
        fn(Attr{std::uint16_t(type & TYPE_MASK),
                stream.subspan(off + ATTR_HEADER, len - ATTR_HEADER)});
        off += align(len);
    }
    return true; // at most a few bytes of trailing padding are left
}

} // namespace wgx::ipc::nl
