#include "engine/output_pipeline.hpp"

namespace wgx::engine {
namespace {
/// At most this many datagrams and packets go out on the caller's thread when nothing is in
/// flight: interactive traffic, where a hand-over would only add latency.
constexpr std::size_t INLINE_LIMIT = 4;
} // namespace

OutputPipeline::OutputPipeline(Process process, bool threaded, std::size_t depth)
    : process_(std::move(process)), threaded_(threaded) {
    for (std::size_t i = 0; i < depth + 1; ++i) {
        outputs_.push_back(std::make_unique<protocol::Output>());
        outputs_.back()->set_deferred_sealing(true);
        free_.push_back(outputs_.back().get());
    }
    current_ = free_.back();
    free_.pop_back();
    if (threaded_)
        worker_ = std::thread([this] { run(); });
}

OutputPipeline::~OutputPipeline() {
    if (threaded_) {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        work_.notify_one();
        worker_.join();
    }
}

protocol::Output* OutputPipeline::take_free(std::unique_lock<std::mutex>& lock) {
    done_.wait(lock, [&] { return !free_.empty(); });
    protocol::Output* o = free_.back();
    free_.pop_back();
    return o;
}

void OutputPipeline::submit() {
    protocol::Output& o = *current_;
    if (o.empty())
        return;
    bool small = o.datagrams().size() <= INLINE_LIMIT && o.tun_packets().size() <= INLINE_LIMIT;
    std::unique_lock lock(mutex_);
    if (!threaded_ || (small && !busy_ && queue_head_ == queue_.size())) {
        // Nothing in flight: the worker is idle until we queue something, so processing here
        // keeps the order and touches nothing the worker uses.
        lock.unlock();
        process_(o);
        o.clear();
        return;
    }
    queue_.push_back(current_);
    current_ = take_free(lock);
    lock.unlock();
    work_.notify_one();
}

void OutputPipeline::drain() {
    submit();
    if (!threaded_)
        return;
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return !busy_ && queue_head_ == queue_.size(); });
}

void OutputPipeline::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] { return stop_ || queue_head_ < queue_.size(); });
        if (queue_head_ == queue_.size() && stop_)
            return;
        protocol::Output* o = queue_[queue_head_++];
        if (queue_head_ == queue_.size()) {
            queue_.clear();
            queue_head_ = 0;
        }
        busy_ = true;
        lock.unlock();
        process_(*o);
        o->clear();
        lock.lock();
        busy_ = false;
        free_.push_back(o);
        done_.notify_all();
    }
}

} // namespace wgx::engine
