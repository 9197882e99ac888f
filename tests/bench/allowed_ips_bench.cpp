// Cryptokey-routing lookups on one core: 1M random prefixes (IPv4 /8–/32 and IPv6 /16–/128,
// half each), then longest-prefix lookups of random IPv4 and random IPv6 addresses, separately.
// protocol::AllowedIps against the binary trie it replaced (tests/bench/binary_trie_baseline),
// same prefixes, same addresses, same run. Run by tools/bench (tools/bench.d/micro.sh).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "bench/binary_trie_baseline.hpp"
#include "bench/cpu_clock.hpp"
#include "crypto/random.hpp"
#include "protocol/allowed_ips.hpp"
#include "support/fake_random.hpp"

using namespace wgx;
using Clock = bench::CpuClock;

namespace {

constexpr std::size_t ADDRESSES = 1 << 20;

std::vector<IpPrefix> random_prefixes(crypto::Random& r, std::size_t n) {
    std::vector<IpPrefix> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t b[16];
        r.fill(b);
        bool v6 = i % 2 == 1;
        IpPrefix p{v6 ? IpAddress::v6(b) : IpAddress::v4(b), 0};
        p.cidr = std::uint8_t(v6 ? 16 + r.uniform(113) : 8 + r.uniform(25));
        out.push_back(p);
    }
    return out;
}

/// Lookups per second of `lookup` over `addresses` (16 bytes apart), bounded to about 1 s.
template <typename Lookup>
double lookups_per_second(const std::vector<std::uint8_t>& addresses, Lookup lookup,
                          std::uint64_t& checksum) {
    auto start = Clock::now();
    std::uint64_t n = 0;
    double elapsed = 0;
    do {
        for (std::size_t i = 0; i < ADDRESSES; ++i) {
            auto v = lookup(addresses.data() + 16 * i);
            checksum += v ? *v + 1 : 0;
        }
        n += ADDRESSES;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < 1.0 && n < 100 * ADDRESSES);
    return double(n) / elapsed;
}

long max_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1'000'000;
    test::FakeRandom r(42);
    auto prefixes = random_prefixes(r, count);
    std::vector<std::uint8_t> addresses(16 * ADDRESSES);
    r.fill(addresses);

    double results[2][2]; // [new, old][v4, v6]
    std::uint64_t sums[2][2] = {};
    double insert_s[2];
    long rss_before = max_rss_kib();
    {
        protocol::AllowedIps t;
        auto s = Clock::now();
        for (std::size_t i = 0; i < prefixes.size(); ++i)
            t.insert(prefixes[i], protocol::PeerId(i % 100000));
        insert_s[0] = std::chrono::duration<double>(Clock::now() - s).count();
        results[0][0] = lookups_per_second(
            addresses, [&](const std::uint8_t* a) { return t.lookup_v4(a); }, sums[0][0]);
        results[0][1] = lookups_per_second(
            addresses, [&](const std::uint8_t* a) { return t.lookup_v6(a); }, sums[0][1]);
    }
    long rss_new = max_rss_kib() - rss_before;
    {
        bench::BinaryTrie t;
        auto s = Clock::now();
        for (std::size_t i = 0; i < prefixes.size(); ++i)
            t.insert(prefixes[i], bench::PeerId(i % 100000));
        insert_s[1] = std::chrono::duration<double>(Clock::now() - s).count();
        results[1][0] = lookups_per_second(
            addresses, [&](const std::uint8_t* a) { return t.lookup_v4(a); }, sums[1][0]);
        results[1][1] = lookups_per_second(
            addresses, [&](const std::uint8_t* a) { return t.lookup_v6(a); }, sums[1][1]);
    }
    // Both answered the same addresses: the checksums of the answers must agree per pass count.
    std::printf("allowed-ips, %zu random prefixes (v4 /8-/32, v6 /16-/128), random addresses:\n",
                count);
    const char* fam[2] = {"IPv4", "IPv6"};
    for (int f = 0; f < 2; ++f)
        std::printf("  %s lookups: wgx %.2f M/s, binary trie (before) %.2f M/s, ratio %.1fx\n",
                    fam[f], results[0][f] / 1e6, results[1][f] / 1e6,
                    results[0][f] / results[1][f]);
    std::printf("  inserts: wgx %.2f s, binary trie %.2f s; peak RSS growth with wgx's table "
                "%ld MiB\n",
                insert_s[0], insert_s[1], rss_new / 1024);
    std::printf("result lookups_v4_mps=%.2f lookups_v6_mps=%.2f lookups_v4_vs_before=%.1f "
                "lookups_v6_vs_before=%.1f\n",
                results[0][0] / 1e6, results[0][1] / 1e6, results[0][0] / results[1][0],
                results[0][1] / results[1][1]);
    // Keep the answers observable so the lookups cannot be optimised away.
    if (sums[0][0] + sums[0][1] + sums[1][0] + sums[1][1] == 42)
        std::printf(" \n");
}
