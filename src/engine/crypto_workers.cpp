#include "engine/crypto_workers.hpp"

#include <algorithm>
#include <atomic>
#include <sched.h>

#include "crypto/aead.hpp"

namespace wgx::engine {
namespace {
/// At most this many datagrams and packets go out on the caller's thread when nothing is in
/// flight: interactive traffic, where a hand-over would only add latency.
constexpr std::size_t INLINE_LIMIT = 4;
/// Fewer jobs than this run_parallel() does alone: waking a worker costs more than it saves.
constexpr std::size_t PARALLEL_MIN = 8;
} // namespace

struct CryptoWorkers::ParallelRun {
    const std::function<void(std::size_t)>* job;
    std::size_t count;
    std::atomic<std::size_t> next{0};

    bool unclaimed() const { return next.load(std::memory_order_relaxed) < count; }
};

CryptoWorkers::CryptoWorkers(Seal seal, Emit emit, unsigned workers, std::size_t depth)
    : seal_(std::move(seal)), emit_(std::move(emit)) {
    for (std::size_t i = 0; i < depth + 1; ++i) {
        slots_.push_back(std::make_unique<Slot>());
        slots_.back()->batch.output.set_deferred_sealing(true);
        free_.push_back(slots_.back().get());
    }
    current_ = free_.back();
    free_.pop_back();
    workers = std::min(workers, crypto::AEAD_THREAD_SLOTS - 1);
    for (unsigned w = 0; w < workers; ++w)
        threads_.emplace_back([this, w] { run(w + 1); }); // slot 0 is the caller's
}

CryptoWorkers::~CryptoWorkers() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_)
        t.join();
}

void CryptoWorkers::submit() {
    Slot* s = current_;
    protocol::Output& o = s->batch.output;
    if (o.empty())
        return;
    bool small = o.datagrams().size() <= INLINE_LIMIT && o.tun_packets().size() <= INLINE_LIMIT;
    std::unique_lock lock(mutex_);
    bool idle = in_order_head_ == in_order_.size() && !emitting_;
    if (threads_.empty() || (small && idle)) {
        // Nothing in flight: no worker emits until we queue something, so doing it here keeps
        // the order and touches nothing a worker uses.
        lock.unlock();
        seal_(s->batch);
        emit_(s->batch);
        o.clear();
        return;
    }
    s->sealed = false;
    to_seal_.push_back(s);
    in_order_.push_back(s);
    done_.wait(lock, [&] { return !free_.empty(); });
    current_ = free_.back();
    free_.pop_back();
    lock.unlock();
    work_.notify_one();
}

void CryptoWorkers::drain() {
    submit();
    if (threads_.empty())
        return;
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return in_order_head_ == in_order_.size() && !emitting_; });
}

void CryptoWorkers::run_parallel(std::size_t count, const std::function<void(std::size_t)>& job) {
    if (threads_.empty() || count < PARALLEL_MIN) {
        for (std::size_t i = 0; i < count; ++i)
            job(i);
        return;
    }
    ParallelRun r{&job, count};
    {
        std::lock_guard lock(mutex_);
        parallel_ = &r;
    }
    work_.notify_all();
    help(r);
    std::unique_lock lock(mutex_);
    parallel_ = nullptr; // no worker joins from now on; wait for those inside
    done_.wait(lock, [&] { return helpers_ == 0; });
}

void CryptoWorkers::help(ParallelRun& r) {
    for (std::size_t i; (i = r.next.fetch_add(1, std::memory_order_relaxed)) < r.count;)
        (*r.job)(i);
}

void CryptoWorkers::run(unsigned slot) {
    crypto::set_aead_thread_slot(slot);
    std::unique_lock lock(mutex_);
    for (;;) {
        work_.wait(lock, [&] {
            return stop_ || (parallel_ && parallel_->unclaimed()) ||
                   to_seal_head_ < to_seal_.size();
        });
        if (parallel_ && parallel_->unclaimed()) {
            // The protocol's thread waits for this: it goes first.
            ParallelRun& r = *parallel_;
            ++helpers_;
            lock.unlock();
            help(r);
            lock.lock();
            if (--helpers_ == 0)
                done_.notify_all();
            continue;
        }
        if (to_seal_head_ < to_seal_.size()) {
            Slot* s = to_seal_[to_seal_head_++];
            if (to_seal_head_ == to_seal_.size()) {
                to_seal_.clear();
                to_seal_head_ = 0;
            }
            lock.unlock();
            seal_(s->batch);
            lock.lock();
            s->sealed = true;
            if (!emitting_)
                emit_ready(lock);
            continue;
        }
        return; // stop_, with nothing left to seal
    }
}

void CryptoWorkers::emit_ready(std::unique_lock<std::mutex>& lock) {
    emitting_ = true;
    while (in_order_head_ < in_order_.size() && in_order_[in_order_head_]->sealed) {
        Slot* s = in_order_[in_order_head_++];
        if (in_order_head_ == in_order_.size()) {
            in_order_.clear();
            in_order_head_ = 0;
        }
        lock.unlock();
        emit_(s->batch);
        s->batch.output.clear();
        lock.lock();
        free_.push_back(s);
        done_.notify_all();
    }
    emitting_ = false;
    done_.notify_all(); // drain() waits for the emitter to finish, not just for the queue
}

unsigned crypto_workers_for(unsigned cores) {
    return std::clamp(cores > 1 ? cores - 1 : 1u, 1u, crypto::AEAD_THREAD_SLOTS - 1);
}

unsigned usable_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return std::max(1, CPU_COUNT(&set));
}

} // namespace wgx::engine
