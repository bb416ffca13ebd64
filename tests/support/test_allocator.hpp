// An ehm_allocator for tests: counts calls, injects failures, and checks that
// every free matches an earlier alloc in pointer, size and alignment.
#ifndef EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP
#define EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>
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

    // The k-th allocation call from now (1-based) returns NULL; 0 = never fail.
    void fail_at(uint64_t k) {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_countdown_ = k;
    }

    void fail_always(bool on) {
        std::lock_guard<std::mutex> lock(mutex_);
        fail_always_ = on;
    }

    uint64_t allocation_calls() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return allocation_calls_;
    }

    uint64_t live_bytes() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return live_bytes_;
    }

    uint64_t live_blocks() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return blocks_.size();
    }

    bool bad_free_seen() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return bad_free_seen_;
    }

private:
    struct Block {
        size_t size;
        size_t align;
    };

    static bool valid_alignment(size_t align) { return align != 0 && (align & (align - 1)) == 0; }

    static void *acquire(size_t size, size_t align) {
        return ::operator new(size, std::align_val_t(align), std::nothrow);
    }

    static void release(void *ptr, size_t align) {
        ::operator delete(ptr, std::align_val_t(align));
    }

    // Decides whether this call is the injected failure; counts it either way.
    bool should_fail_next() {
        ++allocation_calls_;
        if (fail_always_) {
            return true;
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
            if (should_fail_next() || !valid_alignment(align)) {
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
                bad_free_seen_ = true;
                return;
            }
            if (found->second.size != size || found->second.align != align) {
                bad_free_seen_ = true;
            }
            live_bytes_ -= found->second.size;
            release(ptr, found->second.align);
            blocks_.erase(found);
        } catch (...) {
            bad_free_seen_ = true;
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
    uint64_t allocation_calls_ = 0;
    uint64_t live_bytes_ = 0;
    bool bad_free_seen_ = false;
};

} // namespace ehm_test

#endif // EHM_TESTS_SUPPORT_TEST_ALLOCATOR_HPP
