#include "protocol/ratelimiter.hpp"

#include <algorithm>

#include "base/bytes.hpp"

namespace wgx::protocol {

std::uint64_t Ratelimiter::bucket_of(const IpAddress& source, bool& v6) {
    const auto& b = source.bytes;
    static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (source.is_v4()) {
        v6 = false;
        return load_be32(b.data());
    }
    // An IPv4-mapped IPv6 source is limited as the IPv4 address it is.
    if (std::equal(b.begin(), b.begin() + 12, mapped)) {
        v6 = false;
        return load_be32(b.data() + 12);
    }
    v6 = true;
    return load_be64(b.data());
}

void Ratelimiter::collect_garbage(MonoTime now) {
    if (now < next_gc_)
        return;
    next_gc_ = now + IDLE_TIMEOUT;
    for (auto* table : {&entries_, &entries6_})
        std::erase_if(*table, [&](const auto& kv) { return now - kv.second.last > IDLE_TIMEOUT; });
}

bool Ratelimiter::allow(const IpAddress& source, MonoTime now) {
    collect_garbage(now);
    bool v6 = false;
    std::uint64_t key = bucket_of(source, v6);
    auto& table = v6 ? entries6_ : entries_;
    if (auto it = table.find(key); it != table.end()) {
        Entry& e = it->second;
        auto tokens = std::min<std::chrono::nanoseconds>(TOKENS_MAX, e.tokens + (now - e.last));
        e.last = now;
        bool ok = tokens >= PACKET_COST;
        e.tokens = ok ? tokens - PACKET_COST : tokens;
        return ok;
    }
    // Bounded memory: a flood of distinct sources is refused, not remembered.
    if (entries_.size() + entries6_.size() >= MAX_ENTRIES)
        return false;
    table.emplace(key, Entry{now, TOKENS_MAX - PACKET_COST});
    return true;
}

} // namespace wgx::protocol
