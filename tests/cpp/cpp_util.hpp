// Helpers for the ehm.hpp suites: statistics through the native handle, the
// key/value families the suites fill maps with, and a memory resource that
// counts, checks and fails on demand. Only the public headers are used.
#ifndef EHM_TESTS_CPP_CPP_UTIL_HPP
#define EHM_TESTS_CPP_CPP_UTIL_HPP

#include <ehm/ehm.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory_resource>
#include <new>
#include <string>

namespace ehm_cpp_test {

template <class K, class V>
ehm_stats stats_of(const ehm::map<K, V> &m) {
    ehm_stats stats;
    std::memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    const int rc = ehm_stats_get(m.native_handle(), &stats);
    EXPECT_EQ(rc, EHM_OK) << ehm_strerror(rc);
    return stats;
}

inline ehm::options seeded(std::uint64_t seed, std::size_t capacity = 0) {
    ehm::options opts;
    opts.seed = seed;
    opts.capacity = capacity;
    return opts;
}

// The original suite's key family: "key0", "key1", ...
inline std::string key_of(std::size_t i) {
    return "key" + std::to_string(i);
}

// Values of varying length, a few of them long, so lengths are exercised.
inline std::string value_of(std::size_t i) {
    std::string value = "v" + std::to_string(i * 2654435761u % 1000003u);
    value.append(i % 11, static_cast<char>('a' + i % 26));
    if (i % 89 == 0) value.append(200, 'z');
    return value;
}

// Every block is checked against its allocation on deallocate; injected
// failures throw std::bad_alloc, as std::pmr resources report them.
class CountingResource : public std::pmr::memory_resource {
public:
    explicit CountingResource(std::pmr::memory_resource *upstream = std::pmr::new_delete_resource())
        : upstream_(upstream) {}

    // The allocation after `successes` more successful ones throws, and so
    // does every later one until never_fail().
    void fail_after(std::size_t successes) { successes_left_ = successes; }
    void never_fail() { successes_left_ = kUnlimited; }

    std::size_t live_bytes() const { return live_bytes_; }
    std::size_t live_blocks() const { return blocks_.size(); }
    std::size_t allocations() const { return allocations_; }
    std::size_t refusals() const { return refusals_; }
    std::size_t mismatched_frees() const { return mismatched_frees_; }

private:
    struct Block {
        std::size_t size;
        std::size_t align;
    };
    static constexpr std::size_t kUnlimited = ~std::size_t{0};

    void *do_allocate(std::size_t size, std::size_t align) override {
        if (successes_left_ != kUnlimited) {
            if (successes_left_ == 0) {
                ++refusals_;
                throw std::bad_alloc();
            }
            --successes_left_;
        }
        void *ptr = upstream_->allocate(size, align);
        blocks_[ptr] = Block{size, align};
        live_bytes_ += size;
        ++allocations_;
        return ptr;
    }

    void do_deallocate(void *ptr, std::size_t size, std::size_t align) override {
        const auto found = blocks_.find(ptr);
        if (found == blocks_.end()) {
            ++mismatched_frees_;
            return;
        }
        if (found->second.size != size || found->second.align != align) ++mismatched_frees_;
        live_bytes_ -= found->second.size;
        upstream_->deallocate(ptr, found->second.size, found->second.align);
        blocks_.erase(found);
    }

    bool do_is_equal(const std::pmr::memory_resource &other) const noexcept override {
        return this == &other;
    }

    std::pmr::memory_resource *upstream_;
    std::map<void *, Block> blocks_;
    std::size_t successes_left_ = kUnlimited;
    std::size_t live_bytes_ = 0;
    std::size_t allocations_ = 0;
    std::size_t refusals_ = 0;
    std::size_t mismatched_frees_ = 0;
};

} // namespace ehm_cpp_test

#endif // EHM_TESTS_CPP_CPP_UTIL_HPP
