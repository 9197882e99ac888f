#pragma once
// Two protocol Devices, a (192.0.2.1, tunnel 10.0.0.1) and b (192.0.2.2, tunnel 10.0.0.2), that
// know each other, joined by a MemoryLink on a fake clock with fake random.
#include <doctest/doctest.h>

#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_random.hpp"
#include "support/memory_link.hpp"

namespace wgx::test {

inline Endpoint ep(const char* s) {
    return *Endpoint::parse(s);
}
inline IpPrefix pfx(const char* s) {
    return *IpPrefix::parse(s);
}

struct DevicePair {
    FakeClock clock;
    test::FakeRandom ra{1}, rb{2}, keys{3};
    protocol::Device a{ra}, b{rb};
    MemoryLink link{clock};
    protocol::Key ka, kb, pa, pb;
    std::size_t na, nb;
    protocol::Output scratch;

    explicit DevicePair(bool b_knows_a = true) {
        ka = crypto::generate_private_key(keys);
        kb = crypto::generate_private_key(keys);
        pa = crypto::public_key_of(ka);
        pb = crypto::public_key_of(kb);
        a.set_private_key(ka);
        b.set_private_key(kb);
        REQUIRE(a.add_peer(pb));
        REQUIRE(b.add_peer(pa));
        a.add_allowed_ip(pb, pfx("10.0.0.2/32"));
        b.add_allowed_ip(pa, pfx("10.0.0.1/32"));
        a.set_endpoint(pb, ep("192.0.2.2:51820"));
        if (b_knows_a)
            b.set_endpoint(pa, ep("192.0.2.1:51820"));
        a.set_up(true, clock.now(), scratch);
        b.set_up(true, clock.now(), scratch);
        na = link.attach(a, ep("192.0.2.1:51820"));
        nb = link.attach(b, ep("192.0.2.2:51820"));
    }
    Bytes a_to_b(std::size_t n = 100, std::uint8_t fill = 0xab) {
        Bytes p = ipv4_packet("10.0.0.1", "10.0.0.2", n, fill);
        link.tun_send(na, p);
        return p;
    }
    Bytes b_to_a(std::size_t n = 100, std::uint8_t fill = 0xcd) {
        Bytes p = ipv4_packet("10.0.0.2", "10.0.0.1", n, fill);
        link.tun_send(nb, p);
        return p;
    }
};

} // namespace wgx::test
