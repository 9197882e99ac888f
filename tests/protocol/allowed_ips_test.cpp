#include <doctest/doctest.h>

#include <array>
#include <string>
#include <unordered_map>

#include "crypto/random.hpp"
#include "protocol/allowed_ips.hpp"
#include "support/fake_random.hpp"
#include "support/reference_allowed_ips.hpp"

using namespace wgx;
using namespace wgx::protocol;

namespace {
IpPrefix pfx(const char* s) {
    return *IpPrefix::parse(s);
}
IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}
} // namespace

TEST_CASE("allowed IPs: longest prefix match for IPv4 and IPv6") {
    AllowedIps t;
    CHECK(t.insert(pfx("10.0.0.0/8"), 1));
    CHECK(t.insert(pfx("10.1.0.0/16"), 2));
    CHECK(t.insert(pfx("10.1.2.3/32"), 3));
    CHECK(t.insert(pfx("0.0.0.0/0"), 4));
    CHECK(t.insert(pfx("fd00::/8"), 5));
    CHECK(t.insert(pfx("fd00:1::/32"), 6));
    CHECK(t.lookup(ip("10.1.2.3")) == 3u);
    CHECK(t.lookup(ip("10.1.2.4")) == 2u);
    CHECK(t.lookup(ip("10.2.0.1")) == 1u);
    CHECK(t.lookup(ip("192.0.2.1")) == 4u);
    CHECK(t.lookup(ip("fd00:1::5")) == 6u);
    CHECK(t.lookup(ip("fd00:2::5")) == 5u);
    CHECK_FALSE(t.lookup(ip("fe80::1")));
    CHECK(t.size() == 6);
}

TEST_CASE("allowed IPs: host bits masked, prefixes move, remove one or all, insertion order") {
    AllowedIps t;
    CHECK(t.insert(pfx("192.0.2.77/24"), 1));
    CHECK(t.prefixes_of(1) == std::vector<IpPrefix>{pfx("192.0.2.0/24")});
    CHECK(t.insert(pfx("198.51.100.1/32"), 1));
    CHECK(t.insert(pfx("fd00::1/64"), 1));
    CHECK(t.insert(pfx("203.0.113.0/25"), 2));
    // Moving 192.0.2.0/24 to peer 2 puts it at the end of 2's list.
    CHECK(t.insert(pfx("192.0.2.1/24"), 2));
    CHECK(t.prefixes_of(1) == std::vector<IpPrefix>{pfx("198.51.100.1/32"), pfx("fd00::/64")});
    CHECK(t.prefixes_of(2) == std::vector<IpPrefix>{pfx("203.0.113.0/25"), pfx("192.0.2.0/24")});
    CHECK(t.lookup(ip("192.0.2.200")) == 2u);
    // Re-adding to the same peer moves it to the end too (as the kernel does).
    CHECK(t.insert(pfx("203.0.113.0/25"), 2));
    CHECK(t.prefixes_of(2) == std::vector<IpPrefix>{pfx("192.0.2.0/24"), pfx("203.0.113.0/25")});
    // Removing needs the owner.
    CHECK_FALSE(t.remove(pfx("192.0.2.0/24"), 1));
    CHECK(t.remove(pfx("192.0.2.9/24"), 2));
    CHECK_FALSE(t.lookup(ip("192.0.2.200")));
    CHECK(t.size() == 3);
    t.remove_peer(1);
    CHECK(t.prefixes_of(1).empty());
    CHECK_FALSE(t.lookup(ip("198.51.100.1")));
    CHECK(t.lookup(ip("203.0.113.5")) == 2u);
    CHECK(t.size() == 1);
    IpPrefix bad;
    CHECK_FALSE(t.insert(bad, 1));
}

namespace {

/// The naive model: one map per (family, prefix length).
struct Model {
    std::array<std::unordered_map<std::string, PeerId>, 129> v4, v6;
    static std::string key(const IpAddress& a) {
        return std::string(reinterpret_cast<const char*>(a.bytes.data()), a.size());
    }
    auto& table(const IpPrefix& p) { return (p.address.is_v6() ? v6 : v4)[p.cidr]; }
    void insert(const IpPrefix& p, PeerId peer) { table(p)[key(p.address.masked(p.cidr))] = peer; }
    void remove(const IpPrefix& p, PeerId peer) {
        auto& m = table(p);
        auto it = m.find(key(p.address.masked(p.cidr)));
        if (it != m.end() && it->second == peer)
            m.erase(it);
    }
    void remove_peer(PeerId peer) {
        for (auto* fam : {&v4, &v6})
            for (auto& m : *fam)
                std::erase_if(m, [&](const auto& kv) { return kv.second == peer; });
    }
    std::optional<PeerId> lookup(const IpAddress& a) const {
        const auto& fam = a.is_v6() ? v6 : v4;
        for (int len = int(a.max_prefix()); len >= 0; --len) {
            auto it = fam[len].find(key(a.masked(unsigned(len))));
            if (it != fam[len].end())
                return it->second;
        }
        return std::nullopt;
    }
    std::size_t size() const {
        std::size_t n = 0;
        for (auto* fam : {&v4, &v6})
            for (auto& m : *fam)
                n += m.size();
        return n;
    }
};

IpAddress random_address(crypto::Random& r, bool v6) {
    std::uint8_t b[16];
    r.fill(b);
    if (v6) {
        b[0] = 0xfd; // keep them clustered so that prefixes nest and share paths
        return IpAddress::v6(b);
    }
    b[0] = std::uint8_t(10 + b[0] % 4);
    return IpAddress::v4(b);
}

} // namespace

TEST_CASE("allowed IPs: 100k random prefixes agree with a naive model") {
    test::FakeRandom r(7);
    AllowedIps t;
    Model m;
    std::vector<IpPrefix> inserted;
    for (int i = 0; i < 100000; ++i) {
        bool v6 = r.uniform(3) == 0;
        IpPrefix p{random_address(r, v6), 0};
        // Mostly long prefixes, some short ones that cover many.
        unsigned max = p.address.max_prefix();
        p.cidr = std::uint8_t(r.uniform(4) == 0 ? r.uniform(max + 1) : max - r.uniform(max / 4));
        PeerId peer = r.uniform(64);
        t.insert(p, peer);
        m.insert(p, peer);
        inserted.push_back(p);
        if (i % 10 == 9) { // remove a random earlier prefix (owner or not)
            const IpPrefix& q = inserted[r.uniform(std::uint32_t(inserted.size()))];
            PeerId who = r.uniform(64);
            t.remove(q, who);
            m.remove(q, who);
        }
    }
    t.remove_peer(5);
    m.remove_peer(5);
    CHECK(t.size() == m.size());
    CHECK(t.prefixes_of(5).empty());
    std::size_t total = 0;
    for (PeerId p = 0; p < 64; ++p)
        total += t.prefixes_of(p).size();
    CHECK(total == m.size());

    int mismatches = 0;
    for (int i = 0; i < 20000; ++i) {
        IpAddress probe;
        if (i % 2 == 0) {
            // Inside something we inserted, with random host bits.
            const IpPrefix& q = inserted[r.uniform(std::uint32_t(inserted.size()))];
            probe = random_address(r, q.address.is_v6());
            IpAddress net = q.address.masked(q.cidr);
            for (unsigned bit = 0; bit < q.cidr; ++bit) {
                std::uint8_t mask = std::uint8_t(0x80 >> (bit % 8));
                probe.bytes[bit / 8] =
                    std::uint8_t((probe.bytes[bit / 8] & ~mask) | (net.bytes[bit / 8] & mask));
            }
        } else {
            probe = random_address(r, r.uniform(2) == 0);
        }
        if (t.lookup(probe) != m.lookup(probe))
            ++mismatches;
    }
    CHECK(mismatches == 0);
    t.clear();
    CHECK(t.size() == 0);
}

namespace {

/// An address in a small, dense corner of the family so that random prefixes nest, collide,
/// fill leaves past their capacity and empty them again.
IpAddress clustered_address(crypto::Random& r, bool v6) {
    std::uint8_t b[16];
    r.fill(b);
    if (v6) {
        b[0] = 0xfd;
        b[1] = std::uint8_t(r.uniform(2));
        b[2] = std::uint8_t(r.uniform(3));
        for (int i = 3; i < 15; ++i) // long runs of equal bytes: deep tables, shared paths
            if (r.uniform(4) != 0)
                b[i] = 0;
        return IpAddress::v6(b);
    }
    b[0] = std::uint8_t(10 + r.uniform(2));
    b[1] = std::uint8_t(r.uniform(3));
    if (r.uniform(2) == 0)
        b[2] = std::uint8_t(r.uniform(4));
    return IpAddress::v4(b);
}

unsigned random_length(crypto::Random& r, unsigned max) {
    // The prefix table's stride edges (its root's depth and each table's after it, ±1) and byte
    // edges often, any length otherwise.
    if (r.uniform(3) == 0) {
        using Table = PrefixTable<std::uint32_t>;
        unsigned edge = r.uniform(2) == 0
                            ? 8 * r.uniform(max / 8 + 1)
                            : Table::ROOT_BITS +
                                  Table::TABLE_BITS *
                                      r.uniform((max - Table::ROOT_BITS) / Table::TABLE_BITS + 1);
        unsigned len = edge + r.uniform(3);
        len = len == 0 ? 0 : len - 1;
        return std::min(len, max);
    }
    return r.uniform(max + 1);
}

/// Addresses at and around the interval edges of a prefix, and one inside it.
std::vector<IpAddress> probes_around(crypto::Random& r, const IpPrefix& p) {
    IpAddress first = p.address.masked(p.cidr);
    IpAddress last = first, inside = clustered_address(r, p.address.is_v6());
    for (unsigned bit = p.cidr; bit < p.address.max_prefix(); ++bit)
        last.bytes[bit / 8] |= std::uint8_t(0x80 >> (bit % 8));
    for (unsigned bit = 0; bit < p.cidr; ++bit) {
        std::uint8_t mask = std::uint8_t(0x80 >> (bit % 8));
        inside.bytes[bit / 8] =
            std::uint8_t((inside.bytes[bit / 8] & ~mask) | (first.bytes[bit / 8] & mask));
    }
    auto step = [](IpAddress a, int delta) {
        for (int i = int(a.size()) - 1; i >= 0; --i) {
            std::uint8_t before = a.bytes[std::size_t(i)];
            a.bytes[std::size_t(i)] = std::uint8_t(before + delta);
            if ((delta > 0 && before != 0xff) || (delta < 0 && before != 0))
                break;
        }
        return a;
    };
    return {first, last, inside, step(first, -1), step(last, 1)};
}

} // namespace

TEST_CASE("allowed IPs: random inserts, moves and removes agree with a linear-scan reference") {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        CAPTURE(seed);
        test::FakeRandom r(seed);
        AllowedIps t;
        test::ReferenceAllowedIps ref;
        std::vector<IpPrefix> seen;
        const std::uint32_t peers = 1 + r.uniform(40);
        int lookup_mismatches = 0, list_mismatches = 0;
        for (int op = 0; op < 4000; ++op) {
            unsigned what = r.uniform(100);
            if (what < 62 || seen.empty()) {
                bool v6 = r.uniform(2) == 0;
                IpPrefix p{clustered_address(r, v6), 0};
                p.cidr = std::uint8_t(random_length(r, p.address.max_prefix()));
                PeerId peer = r.uniform(peers);
                CHECK(t.insert(p, peer));
                ref.insert(p, peer);
                seen.push_back(p);
            } else if (what < 97) {
                // Remove something seen before, by its owner half of the time.
                const IpPrefix& p = seen[r.uniform(std::uint32_t(seen.size()))];
                std::optional<PeerId> owner;
                for (PeerId q = 0; q < peers && !owner; ++q)
                    for (const IpPrefix& x : ref.prefixes_of(q))
                        if (x == p.masked())
                            owner = q;
                PeerId who = owner && r.uniform(2) == 0 ? *owner : r.uniform(peers);
                CHECK(t.remove(p, who) == ref.remove(p, who));
            } else {
                PeerId who = r.uniform(peers);
                t.remove_peer(who);
                ref.remove_peer(who);
            }
            if (op % 40 != 39)
                continue;
            REQUIRE(t.size() == ref.size());
            for (int i = 0; i < 20; ++i) {
                const IpPrefix& p = seen[r.uniform(std::uint32_t(seen.size()))];
                for (const IpAddress& a : probes_around(r, p))
                    if (t.lookup(a) != ref.lookup(a))
                        ++lookup_mismatches;
                IpAddress any = clustered_address(r, r.uniform(2) == 0);
                if (t.lookup(any) != ref.lookup(any))
                    ++lookup_mismatches;
            }
            for (PeerId q = 0; q < peers; ++q)
                if (t.prefixes_of(q) != ref.prefixes_of(q))
                    ++list_mismatches;
        }
        CHECK(lookup_mismatches == 0);
        CHECK(list_mismatches == 0);
        t.clear();
        CHECK(t.size() == 0);
        CHECK_FALSE(t.lookup(*IpAddress::parse("10.0.0.1")));
    }
}

TEST_CASE("allowed IPs: a /0 and the family edges") {
    AllowedIps t;
    CHECK(t.insert(pfx("0.0.0.0/0"), 1));
    CHECK(t.insert(pfx("255.255.255.255/32"), 2));
    CHECK(t.insert(pfx("::/0"), 3));
    CHECK(t.insert(pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), 4));
    CHECK(t.insert(pfx("::/128"), 5));
    CHECK(t.lookup(ip("255.255.255.255")) == 2u);
    CHECK(t.lookup(ip("255.255.255.254")) == 1u);
    CHECK(t.lookup(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) == 4u);
    CHECK(t.lookup(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")) == 3u);
    CHECK(t.lookup(ip("::")) == 5u);
    CHECK(t.lookup(ip("::1")) == 3u);
    CHECK(t.remove(pfx("0.0.0.0/0"), 1));
    CHECK_FALSE(t.lookup(ip("1.2.3.4")));
    // The reserved id is refused.
    CHECK_FALSE(t.insert(pfx("192.0.2.0/24"), 0xffffffffu));
}
