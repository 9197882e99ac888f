#pragma once
// Handshake messages wait here between being read and being answered, so that transport data
// read in the same batch is handled first and a flood of handshakes (each costing a MAC check
// and, under load, a cookie reply within a per-source limit; without load, Curve25519) cannot
// crowd data out: the queue is bounded, its excess is dropped as it is read (cheaply, and
// before the socket's receive buffer fills, where data would be lost too), and the engine
// answers only a budget of it per turn of its loop.
//
// Messages that carry a MAC2 wait in a lane of their own, answered first: their sender has
// received a cookie reply at its address, which a flood from spoofed addresses cannot, so a
// legitimate peer that answers the cookie is not dropped behind a full queue of the flood's
// messages. (A flood with made-up MAC2s fills only that small lane, and fails its check.)
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

    /// The lane for messages that carry a MAC2.
    static constexpr std::size_t MAC2_CAPACITY = CAPACITY / 8;

    HandshakeQueue() : with_mac2_(MAC2_CAPACITY), plain_(CAPACITY) {}

    /// Copies a handshake message in; false (and counted as dropped) when its lane is full or
    /// the message is larger than any handshake message.
    bool push(ByteView message, const Endpoint& from,
              const std::optional<protocol::LocalSource>& local);
    /// The next entry to answer (those with a MAC2 first, each lane oldest first), valid until
    /// the next push or pop; nullptr when empty.
    const Entry* front() const;
    /// Removes the entry front() returned.
    void pop();
    std::size_t size() const { return with_mac2_.size + plain_.size; }
    bool empty() const { return size() == 0; }
    std::uint64_t dropped() const { return dropped_; }

  private:
    struct Ring {
        std::vector<Entry> slots;
        std::size_t head = 0;
        std::size_t size = 0;
        explicit Ring(std::size_t capacity) : slots(capacity) {}
    };
    static bool push_into(Ring& ring, ByteView message, const Endpoint& from,
                          const std::optional<protocol::LocalSource>& local);

    Ring with_mac2_;
    Ring plain_;
    std::uint64_t dropped_ = 0;
};

} // namespace wgx::engine
