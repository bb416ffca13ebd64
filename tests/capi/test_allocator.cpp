// Custom allocators: exact byte accounting, matching frees, no allocation on
// read-only calls, and EHM_ENOMEM leaving everything as it was.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

::testing::AssertionResult memory_matches(const TestAllocator &alloc, const ehm_map *map) {
    const uint64_t reported = stats_of(map).memory_bytes;
    if (reported == alloc.live_bytes()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "memory_bytes " << reported << " but allocator holds " << alloc.live_bytes();
}

TEST(Allocator, MemoryBytesIsExactThroughoutTheLifecycle) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    EXPECT_GT(alloc.successful_allocations(), 0u);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    for (size_t i = 0; i < 20000; ++i) {
        ASSERT_EQ(put(map.get(), key_of(i), value_of(i)), EHM_OK);
        if (i % 997 == 0) {
            ASSERT_TRUE(memory_matches(alloc, map.get())) << "after put " << i;
        }
    }
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    for (size_t i = 0; i < 20000; i += 3) ASSERT_EQ(put(map.get(), key_of(i), "short"), EHM_OK);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    for (size_t i = 0; i < 20000; i += 2) ASSERT_EQ(erase(map.get(), key_of(i)), EHM_OK);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    ASSERT_EQ(ehm_reserve(map.get(), 100000), EHM_OK);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    ASSERT_EQ(ehm_clear(map.get()), EHM_OK);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    fill(map.get(), 1000);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    map.reset();
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.live_blocks(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
    EXPECT_EQ(alloc.bad_aligns(), 0u);
}

TEST(Allocator, FixedSizeMapAccounting) {
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    cfg.key_size = 5;
    cfg.value_size = 3;
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    for (uint64_t i = 0; i < 5000; ++i) {
        ASSERT_EQ(put(map.get(), fixed_blob(i, 5), fixed_blob(i, 3)), EHM_OK);
    }
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    map.reset();
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

TEST(Allocator, AllocatorStructIsCopiedAtCreate) {
    TestAllocator alloc;
    ehm_allocator iface = *alloc.get();
    const ehm_config cfg = default_config(&iface);
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    std::memset(&iface, 0, sizeof iface);
    fill(map.get(), 2000);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    map.reset();
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

TEST(Allocator, ReadOnlyCallsDoNotAllocate) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr map = make_map(cfg);
    MapPtr other = make_map(cfg);
    ASSERT_NE(map, nullptr);
    ASSERT_NE(other, nullptr);
    fill(map.get(), 3000);
    fill(other.get(), 3000);
    const size_t allocations = alloc.successful_allocations();
    // Any allocation attempt below would show up as a failure.
    alloc.fail_always(true);

    for (size_t i = 0; i < 3500; ++i) {
        const std::string k = key_of(i);
        ASSERT_GE(ehm_contains(map.get(), k.data(), k.size()), 0);
        (void)ehm_get(map.get(), k.data(), k.size(), nullptr, nullptr);
        size_t len = 0;
        char buf[8];
        (void)ehm_get_copy(map.get(), k.data(), k.size(), buf, sizeof buf, &len);
        uint64_t probes = 0;
        (void)ehm_probe_count(map.get(), k.data(), k.size(), &probes);
    }
    size_t cursor = 0;
    while (ehm_next(map.get(), &cursor, nullptr, nullptr, nullptr, nullptr) == EHM_OK) {
    }
    EXPECT_EQ(ehm_equal(map.get(), other.get()), 1);
    (void)ehm_hash(map.get());
    (void)stats_of(map.get());
    EXPECT_EQ(ehm_contains_value(map.get(), "nope", 4), 0);

    EXPECT_EQ(alloc.failed_allocations(), 0u);
    EXPECT_EQ(alloc.successful_allocations(), allocations);
}

TEST(Allocator, FailingCreateIsNoMemoryAndLeavesOutNull) {
    TestAllocator alloc;
    alloc.fail_always(true);
    const ehm_config cfg = default_config(alloc.get());
    ehm_map *out = sentinel_map();
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_ENOMEM);
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

TEST(Allocator, CreateFailingAtEachStepLeaksNothing) {
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    cfg.capacity = 1000;
    bool created = false;
    for (long long budget = 0; budget < 64 && !created; ++budget) {
        alloc.fail_after(budget);
        ehm_map *out = sentinel_map();
        const int rc = ehm_create(&out, &cfg);
        if (rc == EHM_OK) {
            ASSERT_NE(out, nullptr);
            created = true;
            ehm_destroy(out);
        } else {
            EXPECT_EQ(rc, EHM_ENOMEM) << budget;
            EXPECT_EQ(out, nullptr) << budget;
        }
        EXPECT_EQ(alloc.live_bytes(), 0u) << budget;
    }
    EXPECT_TRUE(created);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

TEST(Allocator, CloneFailingAtEachStepLeaksNothing) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr src = make_map(cfg);
    ASSERT_NE(src, nullptr);
    fill(src.get(), 2000);
    const size_t src_bytes = alloc.live_bytes();
    const Snapshot before = snapshot(src.get());
    bool cloned = false;
    for (long long budget = 0; budget < 100000 && !cloned; ++budget) {
        alloc.fail_after(budget);
        ehm_map *out = sentinel_map();
        const int rc = ehm_clone(&out, src.get());
        alloc.never_fail();
        if (rc == EHM_OK) {
            ASSERT_NE(out, nullptr);
            EXPECT_EQ(ehm_equal(out, src.get()), 1);
            cloned = true;
            ehm_destroy(out);
        } else {
            ASSERT_EQ(rc, EHM_ENOMEM) << budget;
            ASSERT_EQ(out, nullptr) << budget;
        }
        ASSERT_EQ(alloc.live_bytes(), src_bytes) << budget;
    }
    EXPECT_TRUE(cloned);
    EXPECT_TRUE(unchanged(before, src.get()));
}

// Each put may make `budget` allocations before the allocator fails, so the
// failure hits different steps of an insertion (entry storage, then growth).
// A plain struct from a table, not ::testing::Combine: gtest's Cartesian
// product generator for a tuple made this file take minutes to compile under
// AddressSanitizer.
struct PutBudget {
    long long budget;
    bool fixed_size;
};

const PutBudget kPutBudgets[] = {{0, false}, {0, true},  {1, false},
                                 {1, true},  {2, false}, {2, true}};

class PutOutOfMemory : public ::testing::TestWithParam<PutBudget> {};

TEST_P(PutOutOfMemory, LeavesMapUnchanged) {
    const auto [budget, fixed_size] = GetParam();
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    if (fixed_size) {
        cfg.key_size = 8;
        cfg.value_size = 8;
    }
    auto key = [&](size_t i) { return fixed_size ? fixed_blob(i, 8) : key_of(i); };
    auto value = [&](size_t i) { return fixed_size ? fixed_blob(~i, 8) : value_of(i); };

    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    Contents model;
    size_t failures = 0;
    for (size_t i = 0; i < 100000 && failures < 3; ++i) {
        const ehm_stats before = stats_of(map.get());
        const size_t live = alloc.live_bytes();
        const std::string k = key(i), v = value(i);
        alloc.fail_after(budget);
        const int rc = put(map.get(), k, v);
        alloc.never_fail();
        if (rc == EHM_OK) {
            model[k] = v;
            continue;
        }
        ASSERT_EQ(rc, EHM_ENOMEM) << i;
        ++failures;
        EXPECT_TRUE(same_stats(before, stats_of(map.get()))) << i;
        EXPECT_EQ(alloc.live_bytes(), live) << i;
        EXPECT_EQ(contains(map.get(), k), 0) << i;
        ASSERT_TRUE(holds_exactly(map.get(), model)) << i;
        // The same insertion succeeds once memory is back.
        ASSERT_EQ(put(map.get(), k, v), EHM_OK) << i;
        model[k] = v;
    }
    // With no allocation allowed the first growth must fail; larger budgets
    // may cover whole insertions, depending on how the map stores entries.
    if (budget == 0) {
        EXPECT_GT(failures, 0u);
    }
    EXPECT_EQ(contents_of(map.get()), model);
    EXPECT_TRUE(memory_matches(alloc, map.get()));
    map.reset();
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Allocator, PutOutOfMemory, ::testing::ValuesIn(kPutBudgets),
                         [](const ::testing::TestParamInfo<PutBudget> &info) {
                             return std::string(info.param.fixed_size ? "fixed" : "variable") +
                                    "_budget" + std::to_string(info.param.budget);
                         });

TEST(Allocator, ReplaceOutOfMemoryKeepsOldValue) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    const Contents model = fill(map.get(), 100);
    const Snapshot before = snapshot(map.get());
    alloc.fail_always(true);
    const std::string huge(1 << 20, 'H');
    const int rc = put(map.get(), key_of(5), huge);
    if (rc == EHM_OK) {
        // An implementation may have had room; then the new value must be there.
        EXPECT_EQ(get(map.get(), key_of(5)), huge);
    } else {
        ASSERT_EQ(rc, EHM_ENOMEM);
        EXPECT_EQ(get(map.get(), key_of(5)), value_of(5));
        EXPECT_TRUE(unchanged(before, map.get()));
    }
}

TEST(Allocator, ReserveOutOfMemoryLeavesMapUnchanged) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    fill(map.get(), 100);
    const Snapshot before = snapshot(map.get());
    alloc.fail_always(true);
    EXPECT_EQ(ehm_reserve(map.get(), 1000000), EHM_ENOMEM);
    EXPECT_TRUE(unchanged(before, map.get()));
    alloc.never_fail();
    EXPECT_EQ(ehm_reserve(map.get(), 1000000), EHM_OK);
    EXPECT_GE(ehm_capacity(map.get()), 1000000u);
}

TEST(Allocator, ManyMapsShareOneAllocator) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    std::vector<MapPtr> maps;
    for (int i = 0; i < 8; ++i) {
        maps.push_back(make_map(cfg));
        ASSERT_NE(maps.back(), nullptr);
        fill(maps.back().get(), 100 * (static_cast<size_t>(i) + 1));
    }
    uint64_t total = 0;
    for (const auto &m : maps) total += stats_of(m.get()).memory_bytes;
    EXPECT_EQ(total, alloc.live_bytes());
    maps.clear();
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

} // namespace
