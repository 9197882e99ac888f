#pragma once
// An in-memory network joining protocol Devices on a fake clock: datagrams arrive instantly
// (unless a filter drops, delays or changes them), timers fire in virtual time. Header-only so
// that only the test executables that use it link the protocol library.
#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "protocol/device.hpp"
#include "protocol/messages.hpp"
#include "support/fake_clock.hpp"

namespace wgx::test {

class MemoryLink {
  public:
    /// One datagram in flight, as recorded in the log.
    struct Sent {
        std::size_t from_node;
        Endpoint from;
        Endpoint to;
        std::optional<protocol::LocalSource> source;
        Bytes bytes;
        MonoTime at;
        std::uint8_t type() const { return protocol::message_type(bytes); }
    };
    /// Decides the fate of a datagram: return false to drop it; it may change the bytes or
    /// the apparent source address (a NAT).
    using Filter = std::function<bool(Sent&)>;

    explicit MemoryLink(FakeClock& clock) : clock_(clock) {}

    /// Attaches a device reachable at `address`; returns its node number.
    std::size_t attach(protocol::Device& device, const Endpoint& address) {
        nodes_.push_back(Node{&device, address, {}});
        return nodes_.size() - 1;
    }
    void set_filter(Filter f) { filter_ = std::move(f); }
    /// Changes where a node's datagrams appear to come from (roaming) and where it listens.
    void move(std::size_t node, const Endpoint& address) { nodes_[node].address = address; }
    const Endpoint& address(std::size_t node) const { return nodes_[node].address; }

    /// Takes what a call on `node` produced: datagrams go in flight, TUN packets are kept.
    void collect(std::size_t node, protocol::Output& out) {
        for (auto& d : out.datagrams())
            in_flight_.push_back(
                Sent{node, nodes_[node].address, d.to, d.source, d.bytes, clock_.now().monotonic});
        for (auto& p : out.tun_packets())
            nodes_[node].tun.push_back(p.bytes);
        out.clear();
    }

    /// Delivers everything in flight (and what the deliveries produce), bounded.
    void pump() {
        for (int guard = 0; !in_flight_.empty() && guard < 100000; ++guard) {
            Sent s = std::move(in_flight_.front());
            in_flight_.pop_front();
            if (filter_ && !filter_(s))
                continue;
            log.push_back(s);
            auto it = std::find_if(nodes_.begin(), nodes_.end(),
                                   [&](const Node& n) { return n.address == s.to; });
            if (it == nodes_.end())
                continue;
            protocol::LocalSource local{s.to.address(), 1};
            it->device->on_datagram(s.bytes, s.from, clock_.now(), scratch_, local);
            collect(std::size_t(it - nodes_.begin()), scratch_);
        }
    }

    /// Runs the network for `d` of virtual time: deliveries, then each timer when it is due.
    template <typename Rep, typename Period>
    void run_for(std::chrono::duration<Rep, Period> d) {
        MonoTime end = clock_.now().monotonic + std::chrono::duration_cast<MonoClock::duration>(d);
        for (int guard = 0; guard < 1000000; ++guard) {
            pump();
            MonoTime next = MonoTime::max();
            for (auto& n : nodes_)
                next = std::min(next, n.device->next_deadline());
            if (next > end)
                break;
            clock_.advance_to(next);
            for (std::size_t i = 0; i < nodes_.size(); ++i) {
                nodes_[i].device->on_deadline(clock_.now(), scratch_);
                collect(i, scratch_);
            }
        }
        clock_.advance_to(end);
        pump();
    }

    /// Sends an IP packet into `node`'s TUN side and delivers the results.
    void tun_send(std::size_t node, ByteView packet) {
        nodes_[node].device->on_tun_packet(packet, clock_.now(), scratch_);
        collect(node, scratch_);
        pump();
    }

    /// Packets `node` wrote to its TUN device so far.
    std::vector<Bytes>& tun(std::size_t node) { return nodes_[node].tun; }
    /// How many logged datagrams of `type` node `from` sent.
    std::size_t count(std::size_t from, std::uint8_t type) const {
        return std::size_t(std::count_if(log.begin(), log.end(), [&](const Sent& s) {
            return s.from_node == from && s.type() == type;
        }));
    }

    /// Every delivered (not dropped) datagram, in order.
    std::vector<Sent> log;

  private:
    struct Node {
        protocol::Device* device;
        Endpoint address;
        std::vector<Bytes> tun;
    };
    FakeClock& clock_;
    std::vector<Node> nodes_;
    std::deque<Sent> in_flight_;
    Filter filter_;
    protocol::Output scratch_;
};

/// An IPv4 packet (no options, protocol 253 "experimental") with `payload` bytes of pattern.
inline Bytes ipv4_packet(const char* src, const char* dst, std::size_t payload,
                         std::uint8_t fill = 0xab) {
    Bytes p(20 + payload, fill);
    std::fill(p.begin(), p.begin() + 20, 0);
    p[0] = 0x45;
    p[2] = std::uint8_t((20 + payload) >> 8);
    p[3] = std::uint8_t(20 + payload);
    p[8] = 64;
    p[9] = 253;
    auto s = IpAddress::parse(src), d = IpAddress::parse(dst);
    std::copy_n(s->bytes.begin(), 4, p.begin() + 12);
    std::copy_n(d->bytes.begin(), 4, p.begin() + 16);
    return p;
}

/// An IPv6 packet (next header 253) with `payload` bytes of pattern.
inline Bytes ipv6_packet(const char* src, const char* dst, std::size_t payload,
                         std::uint8_t fill = 0xcd) {
    Bytes p(40 + payload, fill);
    std::fill(p.begin(), p.begin() + 40, 0);
    p[0] = 0x60;
    p[4] = std::uint8_t(payload >> 8);
    p[5] = std::uint8_t(payload);
    p[6] = 253;
    p[7] = 64;
    auto s = IpAddress::parse(src), d = IpAddress::parse(dst);
    std::copy_n(s->bytes.begin(), 16, p.begin() + 8);
    std::copy_n(d->bytes.begin(), 16, p.begin() + 24);
    return p;
}

} // namespace wgx::test
