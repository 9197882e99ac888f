#pragma once
// The engine's crypto workers: threads, sized to the cores, that take the ChaCha20-Poly1305
// work off the protocol's thread in both directions.
//  - Out: the protocol core writes transport messages complete but unsealed into an Output
//    (a batch). Submitted batches are sealed by whichever worker is free, several at once, and
//    then emitted (sent and written to the TUN device) strictly in the order they were
//    submitted, one batch at a time: a peer's packets leave in the order the protocol core
//    numbered them, whichever core sealed them.
//  - In: the protocol's thread hands a batch of received datagrams to run_parallel(), which
//    opens them on itself and on the idle workers and returns when all are open; the protocol
//    core then does the bookkeeping in order on its own thread (Device::open_ahead).
// A small batch with nothing in flight is sealed and emitted at once on the calling thread,
// so a lone packet pays no hand-over latency.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "protocol/device.hpp"

namespace wgx::engine {

class CryptoWorkers {
  public:
    /// One submitted Output and the engine's notes on it.
    struct Batch {
        protocol::Output output;
        /// Per datagram, filled by Seal and read by Emit: send it without fragmentation.
        std::vector<bool> unfragmentable;
    };
    /// Prepares and seals a batch; runs on any worker, on several batches at once.
    using Seal = std::function<void(Batch&)>;
    /// Sends and writes a sealed batch; runs in submission order, one batch at a time.
    using Emit = std::function<void(Batch&)>;

    /// `workers` threads (0: everything runs on the caller's thread, inside submit() and
    /// run_parallel()); at most `depth` batches in flight before submit() waits.
    CryptoWorkers(Seal seal, Emit emit, unsigned workers, std::size_t depth = 8);
    ~CryptoWorkers();
    CryptoWorkers(const CryptoWorkers&) = delete;
    CryptoWorkers& operator=(const CryptoWorkers&) = delete;

    unsigned workers() const { return unsigned(threads_.size()); }

    /// The Output the protocol core fills now (deferred sealing on).
    protocol::Output& current() { return current_->batch.output; }
    /// Passes current() on (nothing when it is empty) and starts a fresh one; blocks while
    /// `depth` batches are in flight.
    void submit();
    /// Returns once everything submitted has been emitted (before the sockets change).
    void drain();

    /// Calls job(i) once for every i < count, on this thread and on the workers that are idle,
    /// and returns when every call has returned. Jobs must be independent of each other.
    void run_parallel(std::size_t count, const std::function<void(std::size_t)>& job);

  private:
    struct Slot {
        Batch batch;
        bool sealed = false; // may be emitted once it reaches the head of in_order_
    };
    struct ParallelRun;
    void run(unsigned slot);
    void help(ParallelRun& run);
    /// Emits the sealed batches at the head of the order; the caller holds the lock and is
    /// the one emitter.
    void emit_ready(std::unique_lock<std::mutex>& lock);

    Seal seal_;
    Emit emit_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::vector<Slot*> free_;
    std::vector<Slot*> to_seal_; // FIFO: submitted, no worker has taken them yet
    std::size_t to_seal_head_ = 0;
    std::vector<Slot*> in_order_; // FIFO: submitted, not yet emitted
    std::size_t in_order_head_ = 0;
    Slot* current_ = nullptr;
    bool emitting_ = false;
    ParallelRun* parallel_ = nullptr; // the run_parallel() in progress, for workers to join
    unsigned helpers_ = 0;            // workers inside parallel_
    std::mutex mutex_;
    std::condition_variable work_;
    std::condition_variable done_;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

/// The workers for a machine with `cores` usable cores: one per core but the protocol's,
/// at least one, at most what crypto::AEAD_THREAD_SLOTS leaves.
unsigned crypto_workers_for(unsigned cores);
/// The cores this process may run on (sched_getaffinity), at least 1.
unsigned usable_cores();

} // namespace wgx::engine
