#pragma once
// Per-source token bucket for handshake messages under load, with the kernel's constants:
// 20 messages per second, bursts of 5, one bucket per IPv4 address or IPv6 /64, at most
// 65536 buckets, idle buckets forgotten after a second. Time is passed in.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "base/ip.hpp"
#include "base/now.hpp"

namespace wgx::protocol {

class Ratelimiter {
  public:
    static constexpr std::int64_t PACKETS_PER_SECOND = 20;
    static constexpr std::int64_t PACKETS_BURST = 5;
    static constexpr std::size_t MAX_ENTRIES = 65536;
    static constexpr auto PACKET_COST =
        std::chrono::nanoseconds(std::chrono::seconds(1)) / PACKETS_PER_SECOND;
    static constexpr auto TOKENS_MAX = PACKET_COST * PACKETS_BURST;
    static constexpr auto IDLE_TIMEOUT = std::chrono::seconds(1);

    /// True when a message from `source` may be processed now; charges its bucket.
    bool allow(const IpAddress& source, MonoTime now);
    std::size_t size() const { return entries_.size(); }
    void clear() { entries_.clear(); }

  private:
    struct Entry {
        MonoTime last;
        std::chrono::nanoseconds tokens;
    };
    /// IPv4: the address; IPv6: the /64 (tagged so the two families never collide).
    static std::uint64_t bucket_of(const IpAddress& source, bool& v6);
    void collect_garbage(MonoTime now);

    std::unordered_map<std::uint64_t, Entry> entries_;
    std::unordered_map<std::uint64_t, Entry> entries6_;
    MonoTime next_gc_{};
};

} // namespace wgx::protocol
