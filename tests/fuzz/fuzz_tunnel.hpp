#pragma once
// The state the protocol harnesses fuzz against: two Devices (a = 192.0.2.1, tunnel 10.0.0.1;
// b = 192.0.2.2, tunnel 10.0.0.2) joined by a MemoryLink on a fake clock with fake random, with
// an established session both ways, a rekey initiation from a in flight and data not yet
// delivered. Everything is deterministic, so the same steps always give the same keys, indices
// and counters: messages captured once (the templates) are fresh and valid against every new
// FuzzTunnel, which lets the fuzzer start from real messages of all four types and reach the
// deep paths (decryption, replay window, allowed-IPs check, cookie and rekey handling).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"
#include "protocol/messages.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_random.hpp"
#include "support/memory_link.hpp"

namespace wgx::fuzz {

using namespace std::chrono_literals;

/// A real message and the node it is addressed to (0 = a, 1 = b).
struct Template {
    std::size_t to_node;
    Bytes bytes;
};

inline Endpoint endpoint(const char* s) {
    return *Endpoint::parse(s);
}

class FuzzTunnel {
  public:
    test::FakeClock clock;
    test::FakeRandom ra{1}, rb{2}, keys{3};
    protocol::Device a{ra}, b{rb};
    test::MemoryLink link{clock};
    protocol::Key pa, pb;
    std::size_t na = 0, nb = 0;
    protocol::Output out;

    /// Builds the state; appends the undelivered messages to `templates` when given.
    explicit FuzzTunnel(std::vector<Template>* templates = nullptr) {
        auto ka = crypto::generate_private_key(keys), kb = crypto::generate_private_key(keys);
        pa = crypto::public_key_of(ka);
        pb = crypto::public_key_of(kb);
        a.set_private_key(ka);
        b.set_private_key(kb);
        a.add_peer(pb);
        b.add_peer(pa);
        a.add_allowed_ip(pb, *IpPrefix::parse("10.0.0.2/32"));
        a.add_allowed_ip(pb, *IpPrefix::parse("fd00::2/128"));
        b.add_allowed_ip(pa, *IpPrefix::parse("10.0.0.1/32"));
        b.add_allowed_ip(pa, *IpPrefix::parse("fd00::1/128"));
        a.set_endpoint(pb, endpoint("192.0.2.2:51820"));
        b.set_endpoint(pa, endpoint("192.0.2.1:51820"));
        a.set_up(true, clock.now(), out);
        b.set_up(true, clock.now(), out);
        out.clear();
        na = link.attach(a, endpoint("192.0.2.1:51820"));
        nb = link.attach(b, endpoint("192.0.2.2:51820"));

        // A full handshake and data both ways: these messages are delivered.
        link.tun_send(na, test::ipv4_packet("10.0.0.1", "10.0.0.2", 100));
        link.tun_send(nb, test::ipv4_packet("10.0.0.2", "10.0.0.1", 100));
        link.tun_send(na, test::ipv6_packet("fd00::1", "fd00::2", 60));
        if (link.tun(nb).size() != 2 || link.tun(na).size() != 1)
            std::abort(); // the fixture itself is broken
        link.tun(na).clear();
        link.tun(nb).clear();

        // From here on datagrams are captured, not delivered.
        std::vector<Template> held;
        link.set_filter([&](test::MemoryLink::Sent& s) {
            held.push_back({s.to == link.address(na) ? na : nb, s.bytes});
            return false;
        });
        link.tun_send(na, test::ipv4_packet("10.0.0.1", "10.0.0.2", 40, 1));
        link.tun_send(na, test::ipv6_packet("fd00::1", "fd00::2", 1300, 2));
        link.tun_send(nb, test::ipv4_packet("10.0.0.2", "10.0.0.1", 0, 3));
        // Past REKEY_AFTER_TIME a's next packet also starts a new handshake (initiation held).
        clock.advance(protocol::REKEY_AFTER_TIME + 1s);
        link.tun_send(na, test::ipv4_packet("10.0.0.1", "10.0.0.2", 20, 4));
        // b under load answers that initiation (MAC2 missing) with a cookie reply only.
        std::size_t initiation = held.size();
        for (std::size_t i = 0; i < held.size(); ++i)
            if (protocol::message_type(held[i].bytes) == protocol::MESSAGE_HANDSHAKE_INITIATION)
                initiation = i;
        if (initiation == held.size())
            std::abort();
        b.set_under_load(true);
        b.on_datagram(held[initiation].bytes, link.address(na), clock.now(), out);
        link.collect(nb, out);
        link.pump();
        b.set_under_load(false);
        link.set_filter(nullptr);

        if (templates) {
            // b's response to the held initiation, made on a throwaway copy of this state (same
            // steps, same randomness), so that it is fresh here too.
            FuzzTunnel twin;
            std::vector<Template> responses;
            twin.link.set_filter([&](test::MemoryLink::Sent& s) {
                if (s.type() == protocol::MESSAGE_HANDSHAKE_RESPONSE)
                    responses.push_back({na, s.bytes});
                return false;
            });
            twin.b.on_datagram(held[initiation].bytes, twin.link.address(na), twin.clock.now(),
                               twin.out);
            twin.link.collect(twin.nb, twin.out);
            twin.link.pump();
            templates->insert(templates->end(), held.begin(), held.end());
            templates->insert(templates->end(), responses.begin(), responses.end());
        }
    }

    /// Delivers `datagram` to `node` as if from `from`, then everything it leads to.
    void deliver(std::size_t node, ByteView datagram, const Endpoint& from) {
        protocol::Device& d = node == na ? a : b;
        d.on_datagram(datagram, from, clock.now(), out,
                      protocol::LocalSource{link.address(node).address(), 1});
        link.collect(node, out);
        link.pump();
    }

    /// Moves virtual time on by `d`, running every timer due on the way.
    void advance(std::chrono::milliseconds d) { link.run_for(d); }

    /// Aborts when a device wrote a packet to its TUN whose inner source address is not among
    /// the sending peer's allowed IPs: authenticated data from a peer may only carry its own
    /// addresses, whatever arrives from the network.
    void check_delivered_sources() {
        check_sources(link.tun(nb), "10.0.0.1", "fd00::1");
        check_sources(link.tun(na), "10.0.0.2", "fd00::2");
    }

  private:
    static void check_sources(std::vector<Bytes>& packets, const char* v4, const char* v6) {
        auto s4 = IpAddress::parse(v4), s6 = IpAddress::parse(v6);
        for (auto& p : packets) {
            if (p.empty())
                std::abort();
            bool ok = false;
            if ((p[0] >> 4) == 4 && p.size() >= 20)
                ok = std::equal(p.begin() + 12, p.begin() + 16, s4->bytes.begin());
            else if ((p[0] >> 4) == 6 && p.size() >= 40)
                ok = std::equal(p.begin() + 8, p.begin() + 24, s6->bytes.begin());
            if (!ok)
                std::abort();
        }
        packets.clear();
    }
};

/// Reads the fuzzer's input front to back; past the end every read gives zeros.
class InputReader {
  public:
    InputReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool done() const { return pos_ >= size_; }
    std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
    std::uint16_t u16() { return std::uint16_t(byte() | byte() << 8); }
    /// Up to `n` bytes.
    ByteView bytes(std::size_t n) {
        n = std::min(n, size_ - std::min(pos_, size_));
        ByteView v(data_ + pos_, n);
        pos_ += n;
        return v;
    }

  private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

} // namespace wgx::fuzz
