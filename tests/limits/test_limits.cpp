// Limits: lengths up to SIZE_MAX, capacities and reserves up to the largest
// representable ones, fixed sizes and struct sizes near 2^32, iteration
// cursors near SIZE_MAX. Every such call must return its status code without
// overflowing a size computation; run under UBSan (the sanitize stage of
// scripts/test) any overflow in between is reported as well.
//
// How overflow shows. Allocations go to a TestAllocator that refuses anything
// above kBudget, so a huge request costs nothing and ends in EHM_ENOMEM; the
// request it saw must then be at least as large as what was asked for (a
// wrapped-around size would be small, be granted, and corrupt memory). The
// boundary where EHM_ENOMEM turns into EHM_ETOOBIG is found by bisection:
// below it every call asks for memory, from it on every call is refused
// before allocating. Data the library must not read (lengths it refuses, a
// value whose node cannot be allocated) sits right before a page that faults
// on access. (test_bad_input covers the plain SIZE_MAX cases.)
#include <ehm/ehm.h>
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

namespace {

using ehm_test::default_config;
using ehm_test::same_stats;
using ehm_test::stats_of;
using ehm_test::TestAllocator;

constexpr size_t kBudget = size_t{1} << 30;
constexpr uint64_t kFarBeyondMemory = uint64_t{1} << 40;

// Pages of zeroes followed by one page that faults on any access.
class GuardedPages {
public:
    explicit GuardedPages(size_t readable_bytes) {
        page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        readable_ = (readable_bytes + page_ - 1) / page_ * page_;
        void *p = mmap(nullptr, readable_ + page_, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        base_ = p == MAP_FAILED ? nullptr : static_cast<unsigned char *>(p);
        if (base_ != nullptr) mprotect(base_ + readable_, page_, PROT_NONE);
    }
    ~GuardedPages() {
        if (base_ != nullptr) munmap(base_, readable_ + page_);
    }
    GuardedPages(const GuardedPages &) = delete;
    GuardedPages &operator=(const GuardedPages &) = delete;

    bool ok() const { return base_ != nullptr; }
    // The last `bytes` readable bytes: one byte more faults.
    unsigned char *last(size_t bytes) const { return base_ + readable_ - bytes; }

private:
    unsigned char *base_ = nullptr;
    size_t page_ = 0;
    size_t readable_ = 0;
};

// The smallest x in (below, too_big] for which is_too_big(x), given that
// is_too_big(below) is false and is_too_big(too_big) is true.
uint64_t bisect_too_big(uint64_t below, uint64_t too_big,
                        const std::function<bool(uint64_t)> &is_too_big) {
    while (too_big - below > 1) {
        const uint64_t middle = below + (too_big - below) / 2;
        (is_too_big(middle) ? too_big : below) = middle;
    }
    return too_big;
}

// Values from `low` to `high` at powers of two and their neighbours.
std::vector<uint64_t> probe_points(uint64_t low, uint64_t high) {
    std::vector<uint64_t> points;
    for (unsigned bit = 0; bit < 64; ++bit) {
        const uint64_t p = uint64_t{1} << bit;
        for (uint64_t x : {p - 1, p, p + 1})
            if (x >= low && x <= high) points.push_back(x);
    }
    for (uint64_t x : {high - 1, high})
        if (x >= low) points.push_back(x);
    return points;
}

ehm_config config_for(const TestAllocator &alloc, uint32_t key_size, uint32_t value_size,
                      double delta = EHM_DEFAULT_DELTA) {
    ehm_config cfg = default_config(alloc.get());
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 99;
    cfg.key_size = key_size;
    cfg.value_size = value_size;
    cfg.delta = delta;
    return cfg;
}

// ---- capacities -------------------------------------------------------------

struct Layout {
    const char *name;
    uint32_t key_size;
    uint32_t value_size;
    double delta;
    // The smallest capacity whose table exceeds kBudget, roughly.
    uint64_t first_out_of_memory = kBudget;
    // Capacities below this need fewer than 2^40 slots: none may be refused.
    uint64_t never_too_big_below = kFarBeyondMemory;
};

class CapacityLimits : public ::testing::TestWithParam<Layout> {
protected:
    // ehm_create with this capacity: EHM_ENOMEM after asking for at least
    // `capacity` bytes, or EHM_ETOOBIG; either way nothing is left behind.
    int create_huge(uint64_t capacity) {
        TestAllocator alloc;
        alloc.fail_above(kBudget);
        ehm_config cfg =
            config_for(alloc, GetParam().key_size, GetParam().value_size, GetParam().delta);
        cfg.capacity = capacity;
        ehm_map *map = reinterpret_cast<ehm_map *>(&cfg);
        const int status = ehm_create(&map, &cfg);
        EXPECT_EQ(map, nullptr) << "capacity " << capacity;
        EXPECT_EQ(alloc.live_bytes(), 0u) << "capacity " << capacity;
        if (status == EHM_ENOMEM) {
            EXPECT_GE(alloc.last_request(), capacity) << "the table size wrapped around";
        } else {
            EXPECT_EQ(status, EHM_ETOOBIG) << "capacity " << capacity;
        }
        return status;
    }
};

TEST_P(CapacityLimits, CreateIsOutOfMemoryThenTooBig) {
    const uint64_t start = GetParam().first_out_of_memory;
    ASSERT_EQ(create_huge(start), EHM_ENOMEM);
    ASSERT_EQ(create_huge(UINT64_MAX), EHM_ETOOBIG);
    const uint64_t boundary = bisect_too_big(
        start, UINT64_MAX, [&](uint64_t c) { return create_huge(c) == EHM_ETOOBIG; });
    std::printf("%s: capacities from %llu are too big\n", GetParam().name,
                static_cast<unsigned long long>(boundary));
    EXPECT_GE(boundary, GetParam().never_too_big_below) << "a capacity within reach is refused";
    for (uint64_t capacity : probe_points(start, UINT64_MAX)) {
        const int status = create_huge(capacity);
        EXPECT_EQ(status, capacity < boundary ? EHM_ENOMEM : EHM_ETOOBIG) << capacity;
    }
}

// Slots of 8 bytes (a node pointer), 16 and 8 bytes inline, 128 bytes inline
// (the largest inline entry), and the extreme deltas that make the table
// smallest and largest for a capacity: with delta just below 1 only one slot
// in 2^32 may be used, so 2 entries already need 2^32 slots.
const Layout kLayouts[] = {
    {"variable", 0, 0, EHM_DEFAULT_DELTA},
    {"fixed_8_8", 8, 8, EHM_DEFAULT_DELTA},
    {"fixed_4_4", 4, 4, EHM_DEFAULT_DELTA},
    {"fixed_100_28", 100, 28, EHM_DEFAULT_DELTA},
    {"smallest_delta", 0, 0, std::numeric_limits<double>::denorm_min()},
    {"largest_delta", 0, 0, std::nextafter(1.0, 0.0), 2, kFarBeyondMemory >> 32},
};

INSTANTIATE_TEST_SUITE_P(Layouts, CapacityLimits, ::testing::ValuesIn(kLayouts),
                         [](const ::testing::TestParamInfo<Layout> &info) {
                             return info.param.name;
                         });

// The map holds entries, which a huge delta would not let it take.
class ReserveLimits : public ::testing::TestWithParam<Layout> {};

TEST_P(ReserveLimits, ReserveIsOutOfMemoryThenTooBigAndChangesNothing) {
    TestAllocator alloc;
    ehm_config cfg =
        config_for(alloc, GetParam().key_size, GetParam().value_size, GetParam().delta);
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, &cfg), EHM_OK);
    for (uint32_t i = 0; i < 50; ++i) {
        std::string key(GetParam().key_size != 0 ? GetParam().key_size : 4, 'k');
        std::memcpy(&key[0], &i, std::min<size_t>(key.size(), sizeof i));
        const std::string value(GetParam().value_size != 0 ? GetParam().value_size : i, 'v');
        ASSERT_EQ(ehm_put(map, key.data(), key.size(), value.data(), value.size()), EHM_OK);
    }
    alloc.fail_above(kBudget);
    const ehm_stats before = stats_of(map);
    const uint64_t hash = ehm_hash(map);
    auto reserve_huge = [&](uint64_t entries) {
        const int status = ehm_reserve(map, static_cast<size_t>(entries));
        if (status == EHM_ENOMEM) {
            EXPECT_GE(alloc.last_request(), entries) << "the table size wrapped around";
        } else {
            EXPECT_EQ(status, EHM_ETOOBIG) << entries;
        }
        EXPECT_TRUE(same_stats(before, stats_of(map))) << entries;
        EXPECT_EQ(ehm_hash(map), hash) << entries;
        EXPECT_EQ(alloc.live_bytes(), before.memory_bytes) << entries;
        return status;
    };
    const uint64_t boundary = bisect_too_big(
        kBudget, SIZE_MAX, [&](uint64_t e) { return reserve_huge(e) == EHM_ETOOBIG; });
    EXPECT_GE(boundary, kFarBeyondMemory);
    for (uint64_t entries : probe_points(kBudget, SIZE_MAX))
        EXPECT_EQ(reserve_huge(entries), entries < boundary ? EHM_ENOMEM : EHM_ETOOBIG) << entries;
    ehm_destroy(map);
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Layouts, ReserveLimits, ::testing::ValuesIn(kLayouts, kLayouts + 5),
                         [](const ::testing::TestParamInfo<Layout> &info) {
                             return info.param.name;
                         });

// ---- key and value lengths ------------------------------------------------

class LengthLimits : public ::testing::Test {
protected:
    void SetUp() override {
        ehm_config cfg = config_for(alloc_, 0, 0);
        ASSERT_EQ(ehm_create(&map_, &cfg), EHM_OK);
        ASSERT_EQ(ehm_put(map_, "present", 7, "old", 3), EHM_OK);
        ASSERT_TRUE(guard_.ok());
        alloc_.fail_above(kBudget);
        before_ = stats_of(map_);
    }
    void TearDown() override {
        ehm_destroy(map_);
        EXPECT_EQ(alloc_.live_bytes(), 0u);
    }

    void expect_unchanged(uint64_t length) {
        EXPECT_TRUE(same_stats(before_, stats_of(map_))) << length;
        char buffer[8];
        size_t value_len = 0;
        EXPECT_EQ(ehm_get_copy(map_, "present", 7, buffer, sizeof buffer, &value_len), EHM_OK);
        EXPECT_EQ(std::string(buffer, value_len), "old") << length;
        EXPECT_EQ(alloc_.live_bytes(), before_.memory_bytes) << length;
    }

    // A put of a `length`-byte value under `key` (new or present): the node
    // cannot be allocated, so the value must not be read and nothing changes.
    int put_huge_value(const char *key, uint64_t length) {
        const int status = ehm_put(map_, key, std::strlen(key), guard_.last(1), length);
        if (status == EHM_ENOMEM) {
            EXPECT_GE(alloc_.last_request(), length) << "the node size wrapped around";
        } else {
            EXPECT_EQ(status, EHM_ETOOBIG) << length;
        }
        expect_unchanged(length);
        return status;
    }

    TestAllocator alloc_;
    ehm_map *map_ = nullptr;
    GuardedPages guard_{1};
    ehm_stats before_{};
};

TEST_F(LengthLimits, ValuesAreOutOfMemoryThenTooBig) {
    for (const char *key : {"fresh", "present"}) {
        SCOPED_TRACE(key);
        const uint64_t boundary = bisect_too_big(kBudget, SIZE_MAX, [&](uint64_t length) {
            return put_huge_value(key, length) == EHM_ETOOBIG;
        });
        std::printf("values from %llu bytes are too big\n",
                    static_cast<unsigned long long>(boundary));
        EXPECT_GE(boundary, kFarBeyondMemory) << "a value length within reach is refused";
        for (uint64_t length : probe_points(kBudget, SIZE_MAX))
            EXPECT_EQ(put_huge_value(key, length), length < boundary ? EHM_ENOMEM : EHM_ETOOBIG);
    }
}

// Keys are hashed before anything else, so a key the library accepts must
// be real memory; lengths it refuses must be refused without reading a byte.
TEST_F(LengthLimits, KeysFromTheValueLimitOnAreRefusedUnread) {
    const uint64_t boundary = bisect_too_big(kBudget, SIZE_MAX, [&](uint64_t length) {
        return put_huge_value("fresh", length) == EHM_ETOOBIG;
    });
    const void *key = guard_.last(1);
    char buffer[8];
    size_t value_len = 12345;
    uint64_t probes = 12345;
    for (uint64_t length : probe_points(boundary, SIZE_MAX)) {
        const size_t n = static_cast<size_t>(length);
        EXPECT_EQ(ehm_put(map_, key, n, "v", 1), EHM_ETOOBIG) << length;
        EXPECT_EQ(ehm_get(map_, key, n, nullptr, nullptr), EHM_ETOOBIG) << length;
        EXPECT_EQ(ehm_get_copy(map_, key, n, buffer, sizeof buffer, &value_len), EHM_ETOOBIG);
        EXPECT_EQ(ehm_contains(map_, key, n), EHM_ETOOBIG) << length;
        EXPECT_EQ(ehm_remove(map_, key, n), EHM_ETOOBIG) << length;
        EXPECT_EQ(ehm_probe_count(map_, key, n, &probes), EHM_ETOOBIG) << length;
        EXPECT_EQ(ehm_contains_value(map_, key, n), EHM_ETOOBIG) << length;
        expect_unchanged(length);
    }
    EXPECT_EQ(value_len, 12345u);
    EXPECT_EQ(probes, 12345u);
}

// A buffer that claims to be huge receives exactly the value and not a byte more.
TEST_F(LengthLimits, GetCopyIntoAHugeBufferWritesOnlyTheValue) {
    unsigned char *buffer = guard_.last(3);
    size_t value_len = 0;
    for (size_t buf_len : {size_t{3}, SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX}) {
        std::memset(buffer, 0, 3);
        EXPECT_EQ(ehm_get_copy(map_, "present", 7, buffer, buf_len, &value_len), EHM_OK);
        EXPECT_EQ(value_len, 3u);
        EXPECT_EQ(std::memcmp(buffer, "old", 3), 0);
    }
}

// ---- fixed sizes near 2^32 --------------------------------------------------

TEST(FixedSizeLimits, LargestValueSize) {
    TestAllocator alloc;
    ehm_config cfg = config_for(alloc, 8, UINT32_MAX);
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, &cfg), EHM_OK);
    GuardedPages guard(1);
    ASSERT_TRUE(guard.ok());
    alloc.fail_above(kBudget);
    const unsigned char *value = guard.last(1);
    EXPECT_EQ(ehm_put(map, "8 bytes!", 8, value, UINT32_MAX), EHM_ENOMEM);
    EXPECT_GE(alloc.last_request(), uint64_t{UINT32_MAX}) << "the node size wrapped around";
    for (uint64_t length : {uint64_t{UINT32_MAX} - 1, uint64_t{UINT32_MAX} + 1, uint64_t{0}})
        EXPECT_EQ(ehm_put(map, "8 bytes!", 8, value, length), EHM_EINVAL) << length;
    EXPECT_EQ(ehm_contains_value(map, value, UINT32_MAX - 1), EHM_EINVAL);
    EXPECT_EQ(ehm_size(map), 0u);
    ehm_destroy(map);
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

TEST(FixedSizeLimits, LargestKeySizeRefusesOtherLengthsUnread) {
    TestAllocator alloc;
    ehm_config cfg = config_for(alloc, UINT32_MAX, UINT32_MAX);
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, &cfg), EHM_OK);
    GuardedPages guard(1);
    ASSERT_TRUE(guard.ok());
    const unsigned char *key = guard.last(1);
    for (uint64_t length : {uint64_t{1}, uint64_t{UINT32_MAX} - 1, uint64_t{UINT32_MAX} + 1}) {
        const size_t n = static_cast<size_t>(length);
        EXPECT_EQ(ehm_put(map, key, n, key, UINT32_MAX), EHM_EINVAL) << length;
        EXPECT_EQ(ehm_get(map, key, n, nullptr, nullptr), EHM_EINVAL) << length;
        EXPECT_EQ(ehm_remove(map, key, n), EHM_EINVAL) << length;
    }
    EXPECT_EQ(ehm_size(map), 0u);
    ehm_destroy(map);
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

// ---- struct sizes near 2^32 -------------------------------------------------

// Sizes no layout will ever reach: refused with EHM_EVERSION without reading
// the tail they claim (the struct ends where the faulting page begins).
constexpr uint32_t kHugeStructSizes[] = {0x10000000u, 0x7FFFFFFFu, 0x80000000u,
                                         0x80000001u, 0xFFFFFFFEu, 0xFFFFFFFFu};

TEST(StructSizeLimits, HugeConfigIsRefusedUnread) {
    GuardedPages guard(sizeof(ehm_config));
    ASSERT_TRUE(guard.ok());
    TestAllocator alloc;
    for (uint32_t size : kHugeStructSizes) {
        auto *cfg = reinterpret_cast<ehm_config *>(guard.last(sizeof(ehm_config)));
        *cfg = config_for(alloc, 0, 0);
        cfg->struct_size = size;
        ehm_map *map = reinterpret_cast<ehm_map *>(cfg);
        EXPECT_EQ(ehm_create(&map, cfg), EHM_EVERSION) << size;
        EXPECT_EQ(map, nullptr);
    }
    EXPECT_EQ(alloc.allocation_calls(), 0u);
}

TEST(StructSizeLimits, HugeStatsAreRefusedUnreadAndUnwritten) {
    GuardedPages guard(sizeof(ehm_stats));
    ASSERT_TRUE(guard.ok());
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, nullptr), EHM_OK);
    ASSERT_EQ(ehm_put(map, "k", 1, "v", 1), EHM_OK);
    for (uint32_t size : kHugeStructSizes) {
        auto *stats = reinterpret_cast<ehm_stats *>(guard.last(sizeof(ehm_stats)));
        std::memset(stats, 0x5A, sizeof *stats);
        stats->struct_size = size;
        const ehm_stats before = *stats;
        EXPECT_EQ(ehm_stats_get(map, stats), EHM_EVERSION) << size;
        EXPECT_EQ(std::memcmp(stats, &before, sizeof before), 0) << "written anyway";
    }
    ehm_destroy(map);
}

// A newer caller's struct of 64 KiB: a zero tail is read through and
// accepted, a non-zero last byte is found.
TEST(StructSizeLimits, LargeRealStructsAreReadToTheirEnd) {
    constexpr uint32_t kSize = 64 * 1024;
    GuardedPages guard(kSize);
    ASSERT_TRUE(guard.ok());
    unsigned char *bytes = guard.last(kSize);
    ehm_config_init(reinterpret_cast<ehm_config *>(bytes));
    reinterpret_cast<ehm_config *>(bytes)->struct_size = kSize;
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, reinterpret_cast<ehm_config *>(bytes)), EHM_OK);
    bytes[kSize - 1] = 1;
    ehm_map *refused = nullptr;
    EXPECT_EQ(ehm_create(&refused, reinterpret_cast<ehm_config *>(bytes)), EHM_EVERSION);

    std::memset(bytes, 0, kSize);
    auto *stats = reinterpret_cast<ehm_stats *>(bytes);
    stats->struct_size = kSize;
    EXPECT_EQ(ehm_stats_get(map, stats), EHM_OK);
    EXPECT_EQ(stats->struct_size, kSize);
    EXPECT_EQ(stats->capacity, ehm_capacity(map));
    bytes[kSize - 1] = 1;
    EXPECT_EQ(ehm_stats_get(map, stats), EHM_EVERSION);
    ehm_destroy(map);
}

// ---- iteration cursors ------------------------------------------------------

TEST(CursorLimits, CursorsPastTheTableEndTheIteration) {
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, nullptr), EHM_OK);
    for (int i = 0; i < 100; ++i) ASSERT_EQ(ehm_put(map, &i, sizeof i, &i, sizeof i), EHM_OK);
    const size_t capacity = ehm_capacity(map);
    for (size_t start : {capacity, capacity + 1, SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX}) {
        size_t cursor = start, key_len = 7;
        const void *key = &cursor;
        EXPECT_EQ(ehm_next(map, &cursor, &key, &key_len, nullptr, nullptr), EHM_ITEROVER) << start;
        EXPECT_EQ(cursor, start);
        EXPECT_EQ(key, &cursor);
        EXPECT_EQ(key_len, 7u);
    }
    ehm_destroy(map);
}

} // namespace
