// Throughput of the data-path AEAD: OpenSSL's EVP context (what wgx uses) against libsodium's,
// for full-size and small packets. Run by tools/bench (tools/bench.d/crypto.sh), never by ctest.
#include <chrono>
#include <cstdio>
#include <vector>

#include "crypto/aead.hpp"
#include "crypto/random.hpp"
#include "support/sodium_aead.hpp"

using namespace wgx::crypto;

namespace {
template <typename Seal>
double packets_per_second(std::size_t size, Seal seal) {
    std::vector<std::uint8_t> pt(size), out(size + AEAD_TAG_LEN);
    auto start = std::chrono::steady_clock::now();
    std::uint64_t n = 0;
    // Bounded: at most 2 s or 50M packets.
    while (n < 50'000'000) {
        for (int i = 0; i < 1000; ++i, ++n)
            seal(n, pt, out.data());
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(2))
            break;
    }
    return double(n) /
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

int main() {
    SystemRandom rng;
    Key key;
    rng.fill(key.mut_view());
    ChaChaPolyContext ctx(key);
    for (std::size_t size : {64u, 1420u}) {
        double ossl = packets_per_second(
            size, [&](std::uint64_t c, auto& pt, std::uint8_t* out) { ctx.seal(c, pt, {}, out); });
        double sod = packets_per_second(size, [&](std::uint64_t c, auto& pt, std::uint8_t* out) {
            wgx::test::aead_seal_sodium(key, c, pt, {}, out);
        });
        std::printf("aead %4zu B: openssl %.2f Mpps (%.2f Gbit/s), libsodium %.2f Mpps "
                    "(%.2f Gbit/s), ratio %.2fx\n",
                    size, ossl / 1e6, ossl * size * 8 / 1e9, sod / 1e6, sod * size * 8 / 1e9,
                    ossl / sod);
    }
}
