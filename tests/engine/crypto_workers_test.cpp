// The crypto workers seal batches from the protocol's thread on several threads and emit them
// in order, and open received batches with the protocol's thread (run_parallel). These tests
// drive them from one producer with batches of every size and 0, 1 and 3 workers, so that the
// inline path (a small batch, nothing in flight), the hand-over and out-of-order sealing all
// run, and check what the engine relies on: every batch emitted once, in the order submitted,
// one at a time; drain() waits for all of it; deferred sealing uses the context the datagram
// was marked with even after the producer dropped it; every parallel job runs once before
// run_parallel() returns. Under ThreadSanitizer (tools/check --tsan) they also prove the
// hand-overs are properly synchronised.
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/aead.hpp"
#include "engine/crypto_workers.hpp"
#include "protocol/keypair.hpp"
#include "protocol/messages.hpp"

using namespace wgx;
using namespace wgx::engine;
using Batch = CryptoWorkers::Batch;

namespace {

const Endpoint TO = *Endpoint::parse("192.0.2.2:51820");

/// A datagram whose first 8 bytes carry `sequence`.
void add_numbered(protocol::Output& o, std::uint64_t sequence) {
    Bytes& b = o.add_datagram(TO, std::nullopt, 16);
    store_le64(b.data(), sequence);
}

/// Work that takes longer the more datagrams a batch has, so that with several workers a
/// large batch submitted first is often sealed after a small one submitted later.
void busy_for(const protocol::Output& o) {
    volatile std::uint64_t x = 0;
    for (std::size_t i = 0; i < o.datagrams().size() * 2000; ++i)
        x = x + i;
}

/// What the emit callback saw; touched only by whichever thread emits (one at a time, which
/// `emitting` and ThreadSanitizer check).
struct Seen {
    std::vector<std::uint64_t> sequences;
    std::size_t batches = 0;
    std::size_t on_caller_thread = 0;
    std::size_t elsewhere = 0;
    std::atomic<int> emitting{0};
    std::atomic<int> overlaps{0};
};

void emit_into(Seen& seen, std::thread::id producer, Batch& b) {
    if (seen.emitting.fetch_add(1) != 0)
        ++seen.overlaps;
    ++seen.batches;
    (std::this_thread::get_id() == producer ? seen.on_caller_thread : seen.elsewhere)++;
    for (const auto& d : b.output.datagrams())
        seen.sequences.push_back(load_le64(d.bytes.data()));
    // The seal step's notes reach the emit step of the same batch.
    if (b.unfragmentable.size() != b.output.datagrams().size())
        ++seen.overlaps;
    seen.emitting.fetch_sub(1);
}

} // namespace

TEST_CASE(
    "crypto workers: every batch emitted once, in order, one at a time, with 1 or 3 workers") {
    for (unsigned workers : {1u, 3u}) {
        CAPTURE(workers);
        Seen seen;
        const auto producer = std::this_thread::get_id();
        std::mutex sealers_mutex;
        std::set<std::thread::id> sealers;
        CryptoWorkers pool(
            [&](Batch& b) {
                busy_for(b.output);
                b.unfragmentable.assign(b.output.datagrams().size(), false);
                std::lock_guard lock(sealers_mutex);
                sealers.insert(std::this_thread::get_id());
            },
            [&](Batch& b) { emit_into(seen, producer, b); }, workers, 4);
        CHECK(pool.workers() == workers);
        std::uint64_t next = 0;
        std::size_t submitted = 0;
        for (int round = 0; round < 3000; ++round) {
            // 1..40 datagrams: up to 4 may go inline, more are always handed over.
            int count = 1 + (round * 7) % 40;
            for (int k = 0; k < count; ++k)
                add_numbered(pool.current(), next++);
            pool.submit();
            ++submitted;
            if (round % 500 == 499)
                pool.drain();
        }
        pool.submit(); // empty: nothing is passed on
        pool.drain();
        CHECK(seen.batches == submitted);
        CHECK(seen.overlaps.load() == 0);
        REQUIRE(seen.sequences.size() == next);
        for (std::uint64_t i = 0; i < next; ++i)
            if (seen.sequences[i] != i)
                FAIL("out of order at ", i, ": ", seen.sequences[i]);
        CHECK(seen.elsewhere > 0);  // the large batches went to the workers
        CHECK(sealers.size() >= 2); // the caller's inline ones, and at least one worker
    }
}

TEST_CASE(
    "crypto workers: a lone small batch is sealed and emitted at once on the caller's thread") {
    Seen seen;
    const auto producer = std::this_thread::get_id();
    int sealed_here = 0;
    CryptoWorkers pool(
        [&](Batch& b) {
            sealed_here += std::this_thread::get_id() == producer;
            b.unfragmentable.assign(b.output.datagrams().size(), false);
        },
        [&](Batch& b) { emit_into(seen, producer, b); }, 3);
    add_numbered(pool.current(), 7);
    pool.submit();
    // No drain: with nothing in flight the packet is already out when submit() returns.
    CHECK(seen.sequences == std::vector<std::uint64_t>{7});
    CHECK(seen.on_caller_thread == 1);
    CHECK(sealed_here == 1);
    CHECK(pool.current().empty());
}

TEST_CASE("crypto workers: with none, everything runs inside submit() and run_parallel()") {
    Seen seen;
    const auto producer = std::this_thread::get_id();
    CryptoWorkers pool([](Batch& b) { b.unfragmentable.assign(b.output.datagrams().size(), true); },
                       [&](Batch& b) { emit_into(seen, producer, b); }, 0);
    CHECK(pool.workers() == 0);
    for (int k = 0; k < 100; ++k)
        add_numbered(pool.current(), std::uint64_t(k));
    pool.submit();
    CHECK(seen.sequences.size() == 100);
    CHECK(seen.elsewhere == 0);
    std::vector<std::thread::id> ran(50);
    pool.run_parallel(ran.size(), [&](std::size_t i) { ran[i] = std::this_thread::get_id(); });
    for (auto id : ran)
        CHECK(id == producer);
}

TEST_CASE("crypto workers: deferred sealing outlives the producer's keypair") {
    // The protocol's thread writes transport messages unsealed and marks them with its keypair's
    // sending context; a rekey drops that keypair while the I/O thread may still be sealing.
    // Each datagram must come out sealed by the context it was marked with.
    constexpr int GENERATIONS = 40;
    auto key_of = [](int generation) {
        std::array<std::uint8_t, crypto::Key::size()> b{};
        b.fill(std::uint8_t(generation + 1));
        return crypto::Key(b);
    };
    std::atomic<int> bad{0};
    std::size_t checked = 0;
    // Sealed on three workers at once (each in its own context slot), checked as emitted.
    CryptoWorkers pool(
        [](Batch& b) { b.output.seal_deferred(); },
        [&](Batch& b) {
            for (const auto& d : b.output.datagrams()) {
                // The receiver index field carries the generation, the payload's byte too.
                int generation = int(load_le32(d.bytes.data() + protocol::transport::RECEIVER));
                std::uint64_t counter = load_le64(d.bytes.data() + protocol::transport::COUNTER);
                Bytes plain(d.bytes.size() - protocol::transport::MIN_SIZE);
                bool ok = crypto::aead_open(
                    key_of(generation), counter,
                    ByteView(d.bytes).subspan(protocol::transport::HEADER_SIZE), {}, plain.data());
                if (!ok || d.unsealed != nullptr || plain[0] != std::uint8_t(generation))
                    ++bad;
                ++checked;
            }
        },
        3, 4);
    std::size_t written = 0;
    for (int generation = 0; generation < GENERATIONS; ++generation) {
        auto ctx = std::make_shared<crypto::ChaChaPolyContext>(key_of(generation));
        for (int batch = 0; batch < 20; ++batch) {
            protocol::Output& o = pool.current();
            REQUIRE(o.deferred_sealing());
            for (int k = 0; k < 1 + batch % 9; ++k) {
                std::array<std::uint8_t, 64> plain{};
                plain[0] = std::uint8_t(generation);
                std::size_t padded = protocol::padded_length(plain.size(), 1420);
                Bytes& b = o.add_datagram(TO, std::nullopt, protocol::transport_size(padded));
                protocol::seal_transport(nullptr, std::uint32_t(generation), std::uint64_t(written),
                                         plain, padded, b.data());
                o.defer_seal_of_last(ctx);
                ++written;
            }
            pool.submit();
        }
        // ctx goes out of scope here: the Outputs still in flight hold it alive.
    }
    pool.drain();
    CHECK(checked == written);
    CHECK(bad.load() == 0);
}

TEST_CASE("crypto workers: run_parallel runs every job once, done when it returns") {
    for (unsigned workers : {1u, 3u}) {
        CAPTURE(workers);
        CryptoWorkers pool([&](Batch& b) { busy_for(b.output); }, [](Batch&) {}, workers);
        const auto producer = std::this_thread::get_id();
        std::size_t helped = 0;
        for (std::size_t count = 0; count < 200; ++count) {
            // Sealing work in flight at the same time, some rounds: the workers are then busy
            // and the caller does the jobs alone.
            if (count % 3 == 0) {
                for (int k = 0; k < 30; ++k)
                    add_numbered(pool.current(), std::uint64_t(k));
                pool.submit();
            }
            std::vector<int> runs(count, 0); // plain ints: each index is written by one job
            std::vector<std::thread::id> by(count);
            pool.run_parallel(count, [&](std::size_t i) {
                ++runs[i];
                by[i] = std::this_thread::get_id();
                volatile int x = 0; // a little work, so that workers can join
                for (int k = 0; k < 3000; ++k)
                    x = x + k;
            });
            for (std::size_t i = 0; i < count; ++i)
                REQUIRE(runs[i] == 1);
            for (auto id : by)
                helped += id != producer;
        }
        pool.drain();
        MESSAGE("jobs run by workers: ", helped);
    }
}

TEST_CASE("crypto workers: one per core but the protocol's, within the context slots") {
    CHECK(crypto_workers_for(1) == 1);
    CHECK(crypto_workers_for(2) == 1);
    CHECK(crypto_workers_for(4) == 3);
    CHECK(crypto_workers_for(64) == crypto::AEAD_THREAD_SLOTS - 1);
    CHECK(usable_cores() >= 1);
    // More workers than slots are never started: two threads would share a context.
    CryptoWorkers pool([](Batch&) {}, [](Batch&) {}, 100);
    CHECK(pool.workers() == crypto::AEAD_THREAD_SLOTS - 1);
}
