// Growth, ehm_reserve and ehm_clear.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

TEST(Growth, HundredThousandKeysAllFound) {
    MapPtr map = make_map(nullptr);
    ASSERT_NE(map, nullptr);
    const size_t n = 100000;
    for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(put(map.get(), key_of(i), value_of(i)), EHM_OK) << i;
        if (i % 9973 == 0) {
            ASSERT_GE(ehm_capacity(map.get()), ehm_size(map.get()));
        }
    }
    EXPECT_EQ(ehm_size(map.get()), n);
    EXPECT_GE(ehm_capacity(map.get()), ehm_size(map.get()));
    for (size_t i = 0; i < n; ++i) {
        const void *v = nullptr;
        size_t len = 0;
        const std::string k = key_of(i), expected = value_of(i);
        ASSERT_EQ(ehm_get(map.get(), k.data(), k.size(), &v, &len), EHM_OK) << k;
        ASSERT_EQ(len, expected.size()) << k;
        ASSERT_EQ(std::memcmp(v, expected.data(), len), 0) << k;
    }
    for (size_t i = n; i < n + 1000; ++i) ASSERT_EQ(contains(map.get(), key_of(i)), 0);
    const ehm_stats s = stats_of(map.get());
    EXPECT_EQ(s.size, n);
    EXPECT_EQ(s.capacity, ehm_capacity(map.get()));
    EXPECT_GE(s.rebuilds, 1u);
}

TEST(Growth, FixedSizeHundredThousand) {
    MapPtr map = make_map(fixed_size_config(8, 8));
    ASSERT_NE(map, nullptr);
    const uint64_t n = 100000;
    for (uint64_t i = 0; i < n; ++i) {
        const uint64_t k = i * 0x9E3779B97F4A7C15ull, v = ~i;
        ASSERT_EQ(ehm_put(map.get(), &k, 8, &v, 8), EHM_OK);
    }
    ASSERT_EQ(ehm_size(map.get()), n);
    for (uint64_t i = 0; i < n; ++i) {
        const uint64_t k = i * 0x9E3779B97F4A7C15ull;
        uint64_t v = 0;
        size_t len = 0;
        ASSERT_EQ(ehm_get_copy(map.get(), &k, 8, &v, sizeof v, &len), EHM_OK);
        ASSERT_EQ(len, 8u);
        ASSERT_EQ(v, ~i);
    }
}

TEST(Growth, CapacityAlwaysCoversSizeWithDeltaFree) {
    for (double delta : {EHM_DEFAULT_DELTA, 0.1, 0.25, 0.5}) {
        ehm_config cfg = seeded_config(1);
        cfg.delta = delta;
        MapPtr map = make_map(cfg);
        ASSERT_NE(map, nullptr);
        for (size_t i = 0; i < 20000; ++i) {
            ASSERT_EQ(put(map.get(), key_of(i), "v"), EHM_OK);
            const double cap = static_cast<double>(ehm_capacity(map.get()));
            ASSERT_LE(static_cast<double>(ehm_size(map.get())), (1.0 - delta) * cap + 1.0)
                << "delta " << delta << " at " << i;
        }
    }
}

// ---- Reserve --------------------------------------------------------------

class Reserve : public ::testing::TestWithParam<size_t> {};

TEST_P(Reserve, ThatManyInsertsCauseNoRebuild) {
    const size_t n = GetParam();
    MapPtr map = make_map(seeded_config(3));
    ASSERT_NE(map, nullptr);
    ASSERT_EQ(ehm_reserve(map.get(), n), EHM_OK);
    expect_fills_without_rebuild(map.get(), n);
}

INSTANTIATE_TEST_SUITE_P(Capacity, Reserve,
                         ::testing::Values<size_t>(1, 10, 100, 1000, 5000, 50000, 150000));

TEST(ReserveMore, CountsExistingEntries) {
    MapPtr map = make_map(seeded_config(4));
    ASSERT_NE(map, nullptr);
    Contents model = fill(map.get(), 300);
    ASSERT_EQ(ehm_reserve(map.get(), 20000), EHM_OK);
    EXPECT_TRUE(holds_exactly(map.get(), model));
    EXPECT_GE(ehm_capacity(map.get()), 20000u);
    const uint64_t rebuilds = stats_of(map.get()).rebuilds;
    const Contents more = fill(map.get(), 20000 - 300, 300);
    model.insert(more.begin(), more.end());
    EXPECT_EQ(stats_of(map.get()).rebuilds, rebuilds);
    EXPECT_TRUE(holds_exactly(map.get(), model));
}

TEST(ReserveMore, SmallerThanCurrentChangesNothing) {
    MapPtr map = make_map(seeded_config(5, 1000));
    ASSERT_NE(map, nullptr);
    fill(map.get(), 500);
    const Snapshot before = snapshot(map.get());
    EXPECT_EQ(ehm_reserve(map.get(), 0), EHM_OK);
    EXPECT_EQ(ehm_reserve(map.get(), 10), EHM_OK);
    EXPECT_EQ(ehm_reserve(map.get(), 500), EHM_OK);
    EXPECT_TRUE(unchanged(before, map.get()));
}

TEST(ReserveMore, GrowsCapacity) {
    MapPtr map = make_map(nullptr);
    ASSERT_NE(map, nullptr);
    const size_t before = ehm_capacity(map.get());
    ASSERT_EQ(ehm_reserve(map.get(), before + 10000), EHM_OK);
    EXPECT_GE(ehm_capacity(map.get()), before + 10000);
}

// A table large enough for the entries, but with tombstones that leave too
// little room for them: reserve reclaims the tombstones at once, so none of
// the insertions it promised rebuilds.
TEST(ReserveMore, ReclaimsTombstonesThatWouldForceARebuild) {
    MapPtr map = make_map(seeded_config(6, 1000));
    ASSERT_NE(map, nullptr);
    const size_t capacity = ehm_capacity(map.get());
    size_t n = 0;
    for (; stats_of(map.get()).size + stats_of(map.get()).tombstones + 1 < capacity * 9 / 10; ++n)
        ASSERT_EQ(put(map.get(), key_of(n), value_of(n)), EHM_OK);
    for (size_t i = 0; i < n; i += 2) ASSERT_EQ(erase(map.get(), key_of(i)), EHM_OK);
    const ehm_stats before = stats_of(map.get());
    ASSERT_GT(before.tombstones, 0u);
    ASSERT_EQ(before.capacity, capacity);
    const size_t wanted = before.size + before.tombstones; // more than the free slots take
    ASSERT_EQ(ehm_reserve(map.get(), wanted), EHM_OK);
    const ehm_stats reserved = stats_of(map.get());
    EXPECT_EQ(reserved.capacity, capacity) << "it fits: no growth";
    EXPECT_EQ(reserved.tombstones, 0u);
    EXPECT_EQ(reserved.rebuilds, before.rebuilds + 1);
    for (size_t i = n; ehm_size(map.get()) < wanted; ++i)
        ASSERT_EQ(put(map.get(), key_of(i), value_of(i)), EHM_OK);
    EXPECT_EQ(stats_of(map.get()).rebuilds, reserved.rebuilds);
    EXPECT_EQ(ehm_capacity(map.get()), capacity);
    // Once reclaimed, a second reserve has nothing to do.
    const Snapshot settled = snapshot(map.get());
    EXPECT_EQ(ehm_reserve(map.get(), wanted), EHM_OK);
    EXPECT_TRUE(unchanged(settled, map.get()));
}

TEST(ReserveMore, TooBigIsRejected) {
    MapPtr map = make_map(nullptr);
    ASSERT_NE(map, nullptr);
    fill(map.get(), 20);
    const Snapshot before = snapshot(map.get());
    EXPECT_EQ(ehm_reserve(map.get(), SIZE_MAX), EHM_ETOOBIG);
    EXPECT_EQ(ehm_reserve(map.get(), SIZE_MAX / 2), EHM_ETOOBIG);
    EXPECT_TRUE(unchanged(before, map.get()));
    EXPECT_EQ(ehm_reserve(nullptr, 10), EHM_EINVAL);
}

// ---- Clear ----------------------------------------------------------------

TEST(Clear, RemovesEverythingAndKeepsCapacity) {
    MapPtr map = make_map(seeded_config(6));
    ASSERT_NE(map, nullptr);
    fill(map.get(), 5000);
    ASSERT_EQ(ehm_put(map.get(), nullptr, 0, "e", 1), EHM_OK);
    const size_t capacity = ehm_capacity(map.get());
    ASSERT_EQ(ehm_clear(map.get()), EHM_OK);
    EXPECT_EQ(ehm_size(map.get()), 0u);
    EXPECT_EQ(ehm_capacity(map.get()), capacity);
    EXPECT_EQ(stats_of(map.get()).size, 0u);
    EXPECT_EQ(contains(map.get(), key_of(0)), 0);
    EXPECT_EQ(ehm_contains(map.get(), nullptr, 0), 0);
    EXPECT_EQ(ehm_contains_value(map.get(), "e", 1), 0);
    size_t cursor = 0;
    EXPECT_EQ(ehm_next(map.get(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
}

TEST(Clear, MapIsReusable) {
    MapPtr map = make_map(seeded_config(6));
    ASSERT_NE(map, nullptr);
    fill(map.get(), 3000);
    ASSERT_EQ(ehm_clear(map.get()), EHM_OK);
    const Contents second = fill(map.get(), 3000, 10000);
    EXPECT_TRUE(holds_exactly(map.get(), second));
    EXPECT_EQ(contents_of(map.get()), second);
    for (size_t i = 0; i < 3000; ++i) ASSERT_EQ(contains(map.get(), key_of(i)), 0);
    // Refilling to the old size fits in the kept capacity.
    const uint64_t rebuilds = stats_of(map.get()).rebuilds;
    ASSERT_EQ(ehm_clear(map.get()), EHM_OK);
    fill(map.get(), 3000);
    EXPECT_EQ(stats_of(map.get()).rebuilds, rebuilds);
}

TEST(Clear, EmptyMapAndRepeatedClear) {
    MapPtr map = make_map(nullptr);
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_clear(map.get()), EHM_OK);
    EXPECT_EQ(ehm_clear(map.get()), EHM_OK);
    EXPECT_EQ(ehm_size(map.get()), 0u);
    ASSERT_EQ(put(map.get(), "a", "b"), EHM_OK);
    EXPECT_EQ(get(map.get(), "a"), std::string("b"));
}

TEST(Clear, NullIsInvalid) {
    EXPECT_EQ(ehm_clear(nullptr), EHM_EINVAL);
}

} // namespace
