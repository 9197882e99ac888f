#pragma once
// Handshake messages wait here between being read and being answered, so that transport data
// read in the same batch is handled first and a flood of handshakes (each costing a MAC check
// and, under load, a cookie reply; without load, Curve25519) cannot crowd data out: the queue
// is bounded, its excess is dropped as it is read (cheaply, and before the socket's receive
// buffer fills, where data would be lost too), and the engine answers only a budget of it per
// turn of its loop.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "protocol/device.hpp"
#include "protocol/messages.hpp"

namespace wgx::engine {

class HandshakeQueue {
  public:
    /// As wireguard-go's handshake queue.
    static constexpr std::size_t CAPACITY = 1024;
    /// The largest handshake message (an initiation).
    static constexpr std::size_t MAX_MESSAGE = protocol::initiation::SIZE;

    struct Entry {
        std::array<std::uint8_t, MAX_MESSAGE> bytes;
        std::size_t size = 0;
        Endpoint from;
        std::optional<protocol::LocalSource> local;

        ByteView message() const { return {bytes.data(), size}; }
    };

    HandshakeQueue() : slots_(CAPACITY) {}

    /// Copies a handshake message in; false (and counted as dropped) when the queue is full or
    /// the message is larger than any handshake message.
    bool push(ByteView message, const Endpoint& from,
              const std::optional<protocol::LocalSource>& local);
    /// The oldest entry, valid until the next push or pop; nullptr when empty.
    const Entry* front() const { return size_ ? &slots_[head_] : nullptr; }
    void pop();
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::uint64_t dropped() const { return dropped_; }

  private:
    std::vector<Entry> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::uint64_t dropped_ = 0;
};

} // namespace wgx::engine
