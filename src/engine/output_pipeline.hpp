#pragma once
// Hands what the protocol core produced (datagrams still to be sealed, packets for the TUN
// device) to an I/O thread, so that the protocol's thread goes on reading and deciding while
// the other core seals, sends and writes: the two halves of each direction run in parallel,
// and the order of everything sent and written stays the order it was produced in (one
// thread, one FIFO). A small batch with nothing in flight is processed at once on the calling
// thread instead, so a lone packet pays no hand-over latency.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "protocol/device.hpp"

namespace wgx::engine {

class OutputPipeline {
  public:
    /// Seals, sends and writes one Output, then clears it.
    using Process = std::function<void(protocol::Output&)>;

    /// `threaded` false: every submit() is processed at once on the caller's thread.
    OutputPipeline(Process process, bool threaded, std::size_t depth = 8);
    ~OutputPipeline();
    OutputPipeline(const OutputPipeline&) = delete;
    OutputPipeline& operator=(const OutputPipeline&) = delete;

    /// The Output the protocol core fills now (deferred sealing on).
    protocol::Output& current() { return *current_; }
    /// Passes current() on (nothing when it is empty) and starts a fresh one; blocks while
    /// `depth` Outputs are in flight.
    void submit();
    /// Returns once everything submitted has been processed (before the sockets change).
    void drain();

  private:
    void run();
    protocol::Output* take_free(std::unique_lock<std::mutex>& lock);

    Process process_;
    bool threaded_;
    std::vector<std::unique_ptr<protocol::Output>> outputs_;
    std::vector<protocol::Output*> free_;
    std::vector<protocol::Output*> queue_; // FIFO, small
    std::size_t queue_head_ = 0;
    protocol::Output* current_ = nullptr;
    std::mutex mutex_;
    std::condition_variable work_;
    std::condition_variable done_;
    bool busy_ = false;
    bool stop_ = false;
    std::thread worker_;
};

} // namespace wgx::engine
