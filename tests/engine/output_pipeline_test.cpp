// The output pipeline hands Outputs from the protocol's thread to its I/O thread. These tests
// drive it from one producer with batches of every size, so that both the inline path (a small
// batch, nothing in flight) and the hand-over run, and check what the engine relies on: every
// Output processed once, in the order submitted, one at a time; drain() waits for all of it;
// deferred sealing uses the context the datagram was marked with even after the producer
// dropped it. Under ThreadSanitizer (tools/check --tsan) they also prove the hand-over is
// properly synchronised.
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/aead.hpp"
#include "engine/output_pipeline.hpp"
#include "protocol/keypair.hpp"
#include "protocol/messages.hpp"

using namespace wgx;
using namespace wgx::engine;

namespace {

const Endpoint TO = *Endpoint::parse("192.0.2.2:51820");

/// A datagram whose first 8 bytes carry `sequence`.
void add_numbered(protocol::Output& o, std::uint64_t sequence) {
    Bytes& b = o.add_datagram(TO, std::nullopt, 16);
    store_le64(b.data(), sequence);
}

/// What the process callback saw; touched only by whichever thread processes (the pipeline
/// guarantees one at a time, which ThreadSanitizer checks).
struct Seen {
    std::vector<std::uint64_t> sequences;
    std::size_t outputs = 0;
    std::size_t on_caller_thread = 0;
    std::size_t elsewhere = 0;
};

} // namespace

TEST_CASE("output pipeline: every Output processed once and in order, inline or handed over") {
    Seen seen;
    const auto producer = std::this_thread::get_id();
    OutputPipeline pipeline(
        [&](protocol::Output& o) {
            ++seen.outputs;
            (std::this_thread::get_id() == producer ? seen.on_caller_thread : seen.elsewhere)++;
            for (const auto& d : o.datagrams())
                seen.sequences.push_back(load_le64(d.bytes.data()));
        },
        true, 4);
    std::uint64_t next = 0;
    std::size_t submitted = 0;
    for (int round = 0; round < 3000; ++round) {
        // 1..40 datagrams: up to 4 may go inline, more are always handed over.
        int count = 1 + (round * 7) % 40;
        for (int k = 0; k < count; ++k)
            add_numbered(pipeline.current(), next++);
        pipeline.submit();
        ++submitted;
        if (round % 500 == 499)
            pipeline.drain();
    }
    pipeline.submit(); // empty: nothing is passed on
    pipeline.drain();
    CHECK(seen.outputs == submitted);
    REQUIRE(seen.sequences.size() == next);
    for (std::uint64_t i = 0; i < next; ++i)
        if (seen.sequences[i] != i)
            FAIL("out of order at ", i, ": ", seen.sequences[i]);
    CHECK(seen.elsewhere > 0); // the large batches went to the I/O thread
}

TEST_CASE("output pipeline: a lone small batch is processed at once on the caller's thread") {
    Seen seen;
    const auto producer = std::this_thread::get_id();
    OutputPipeline pipeline(
        [&](protocol::Output& o) {
            (std::this_thread::get_id() == producer ? seen.on_caller_thread : seen.elsewhere)++;
            seen.sequences.push_back(load_le64(o.datagrams()[0].bytes.data()));
        },
        true);
    add_numbered(pipeline.current(), 7);
    pipeline.submit();
    // No drain: with nothing in flight the packet is already out when submit() returns.
    CHECK(seen.sequences == std::vector<std::uint64_t>{7});
    CHECK(seen.on_caller_thread == 1);
    CHECK(pipeline.current().empty());
}

TEST_CASE("output pipeline: unthreaded, everything is processed inside submit()") {
    Seen seen;
    const auto producer = std::this_thread::get_id();
    OutputPipeline pipeline(
        [&](protocol::Output& o) {
            (std::this_thread::get_id() == producer ? seen.on_caller_thread : seen.elsewhere)++;
            seen.outputs += o.datagrams().size();
        },
        false);
    for (int k = 0; k < 100; ++k)
        add_numbered(pipeline.current(), std::uint64_t(k));
    pipeline.submit();
    CHECK(seen.outputs == 100);
    CHECK(seen.elsewhere == 0);
}

TEST_CASE("output pipeline: deferred sealing outlives the producer's keypair") {
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
    OutputPipeline pipeline(
        [&](protocol::Output& o) {
            o.seal_deferred();
            for (const auto& d : o.datagrams()) {
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
        true, 4);
    std::size_t written = 0;
    for (int generation = 0; generation < GENERATIONS; ++generation) {
        auto ctx = std::make_shared<crypto::ChaChaPolyContext>(key_of(generation));
        for (int batch = 0; batch < 20; ++batch) {
            protocol::Output& o = pipeline.current();
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
            pipeline.submit();
        }
        // ctx goes out of scope here: the Outputs still in flight hold it alive.
    }
    pipeline.drain();
    CHECK(checked == written);
    CHECK(bad.load() == 0);
}
