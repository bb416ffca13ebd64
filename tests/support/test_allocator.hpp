// An ehm_allocator for tests: counts calls, injects failures, and checks that
// every free matches an earlier alloc in pointer, size and alignment, so that
// leaks, mismatched frees and the exactness of ehm_stats.memory_bytes can be
// checked.
#ifndef EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP
#define EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <new>
#include <unordered_map>

namespace ehm_test {

class TestAllocator {
public:
    TestAllocator() {
        allocator_.alloc = &TestAllocator::alloc_callback;
        allocator_.free = &TestAllocator::free_callback;
        allocator_.ctx = this;
    }

    TestAllocator(const TestAllocator &) = delete;
    TestAllocator &operator=(const TestAllocator &) = delete;
    TestAllocator(TestAllocator &&) = delete;
    TestAllocator &operator=(TestAllocator &&) = delete;

    // Releases whatever a leaking test left behind so that the sanitizers report
    // the failed assertion rather than a secondary leak.
    ~TestAllocator() {
        for (const auto &entry : blocks_) {
            release(entry.first, entry.second.align);
        }
    }

    const ehm_allocator *get() const { return &allocator_; }

    // ---- Failure injection. Every call that fails this way counts in
    // failed_allocations().

    // The k-th allocation call from now (1-based) returns NULL; 0 = never fail.
    void fail_at(uint64_t k) {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_countdown_ = k;
    }

    // Every allocation call returns NULL while `on`.
    void fail_always(bool on) {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_always_ = on;
    }

    // The next `successes` allocation calls succeed, then every one fails until
    // never_fail().
    void fail_after(uint64_t successes) {
        std::lock_guard<std::mutex> lock(mutex_);
        successes_left_ = successes;
    }

    // Every allocation call asking for more than `bytes` fails without reaching
    // the system allocator, so requests for terabytes can be tested safely.
    void fail_above(size_t bytes) {
        std::lock_guard<std::mutex> lock(mutex_);
        size_limit_ = bytes;
    }

    // Disarms fail_at, fail_always, fail_after and fail_above.
    void never_fail() {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_countdown_ = 0;
        fail_always_ = false;
        successes_left_ = kUnlimited;
        size_limit_ = std::numeric_limits<size_t>::max();
    }

    // ---- Counters.

    // Every call of the alloc callback, failed ones included.
    uint64_t allocation_calls() const { return read(allocation_calls_); }

    // Calls that returned a block.
    uint64_t successful_allocations() const { return read(successful_allocations_); }

    // Calls that returned NULL because of an injected failure.
    uint64_t failed_allocations() const { return read(failed_allocations_); }

    uint64_t live_bytes() const { return read(live_bytes_); }

    // The size the latest alloc call asked for, failed calls included.
    uint64_t last_request() const { return read(last_request_); }

    uint64_t live_blocks() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return blocks_.size();
    }

    // Frees of unknown pointers, or with a size or alignment differing from the
    // alloc.
    uint64_t bad_frees() const { return read(bad_frees_); }

    // Alloc calls whose alignment is not a power of two (they return NULL).
    uint64_t bad_aligns() const { return read(bad_aligns_); }

private:
    struct Block {
        size_t size;
        size_t align;
    };

    // A counter, read under the lock.
    uint64_t read(const uint64_t &counter) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return counter;
    }

    static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

    static bool valid_alignment(size_t align) { return align != 0 && (align & (align - 1)) == 0; }

    static void *acquire(size_t size, size_t align) {
        return ::operator new(size, std::align_val_t(align), std::nothrow);
    }

    static void release(void *ptr, size_t align) {
        ::operator delete(ptr, std::align_val_t(align));
    }

    // Decides whether this call is an injected failure; counts it either way.
    bool should_fail_next(size_t size) {
        ++allocation_calls_;
        last_request_ = size;
        if (fail_always_ || size > size_limit_) {
            return true;
        }
        if (successes_left_ != kUnlimited) {
            if (successes_left_ == 0) {
                return true;
            }
            --successes_left_;
        }
        if (fail_countdown_ != 0) {
            --fail_countdown_;
            return fail_countdown_ == 0;
        }
        return false;
    }

    void *allocate(size_t size, size_t align) noexcept {
        try {
            std::lock_guard<std::mutex> lock(mutex_);
            if (should_fail_next(size)) {
                ++failed_allocations_;
                return nullptr;
            }
            if (!valid_alignment(align)) {
                ++bad_aligns_;
                return nullptr;
            }
            void *ptr = acquire(size, align);
            if (ptr == nullptr) {
                return nullptr;
            }
            try {
                blocks_.emplace(ptr, Block{size, align});
            } catch (...) {
                release(ptr, align);
                return nullptr;
            }
            live_bytes_ += size;
            ++successful_allocations_;
            return ptr;
        } catch (...) {
            return nullptr;
        }
    }

    void deallocate(void *ptr, size_t size, size_t align) noexcept {
        try {
            std::lock_guard<std::mutex> lock(mutex_);
            auto found = blocks_.find(ptr);
            if (found == blocks_.end()) {
                // Unknown pointer: freeing it would corrupt the heap, so only record it.
                ++bad_frees_;
                return;
            }
            if (found->second.size != size || found->second.align != align) {
                ++bad_frees_;
            }
            live_bytes_ -= found->second.size;
            release(ptr, found->second.align);
            blocks_.erase(found);
        } catch (...) {
            ++bad_frees_;
        }
    }

    static void *alloc_callback(void *ctx, size_t size, size_t align) {
        return static_cast<TestAllocator *>(ctx)->allocate(size, align);
    }

    static void free_callback(void *ctx, void *ptr, size_t size, size_t align) {
        static_cast<TestAllocator *>(ctx)->deallocate(ptr, size, align);
    }

    ehm_allocator allocator_{};
    mutable std::mutex mutex_;
    std::unordered_map<void *, Block> blocks_;
    uint64_t fail_countdown_ = 0;
    bool fail_always_ = false;
    uint64_t successes_left_ = kUnlimited;
    size_t size_limit_ = std::numeric_limits<size_t>::max();
    uint64_t last_request_ = 0;
    uint64_t allocation_calls_ = 0;
    uint64_t successful_allocations_ = 0;
    uint64_t failed_allocations_ = 0;
    uint64_t live_bytes_ = 0;
    uint64_t bad_frees_ = 0;
    uint64_t bad_aligns_ = 0;
};

} // namespace ehm_test

#endif // EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP
