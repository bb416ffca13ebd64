// Growth: the table fills to 1 - delta of its slots before it grows, and no
// key sequence makes it grow more than the entries require.
#include "map_fixture.hpp"

#include <gtest/gtest.h>

using namespace ehm_test;

TEST(Growth, FillsToOneMinusDeltaBeforeGrowing) {
    for (double delta : {1.0 / 4, 1.0 / 32, 1.0 / 256}) {
        CoreMap m(delta);
        uint64_t rebuilds = 0;
        for (uint64_t key = 0; key < 200000; ++key) {
            const ehm_stats before = m.stats();
            ASSERT_EQ(m.put(key, key), EHM_OK);
            const ehm_stats after = m.stats();
            if (after.rebuilds != before.rebuilds) {
                ++rebuilds;
                // The table grew only because the new key would exceed n - floor(delta n).
                EXPECT_EQ(before.size,
                          before.capacity - Delta::from_double(delta).floor_times(before.capacity));
                EXPECT_GE(static_cast<double>(before.size) / static_cast<double>(before.capacity),
                          before.capacity >= 1000 ? 1 - delta - 0.01 : 0.0);
                EXPECT_EQ(after.capacity,
                          grown_group_count(before.capacity / kGroupSlots) * kGroupSlots);
            }
        }
        EXPECT_EQ(m.stats().rebuilds, rebuilds);
    }
}

TEST(Growth, SequentialKeysNeverCauseAGrowthStorm) {
    CoreMap m;
    const uint64_t n = 1000000;
    for (uint64_t key = 0; key < n; ++key) ASSERT_EQ(m.put(key, ~key), EHM_OK);
    const ehm_stats s = m.stats();
    EXPECT_EQ(s.size, n);
    EXPECT_LE(s.capacity, n * 2);
    EXPECT_LE(s.rebuilds, 30u); // one per growth by half from 15 slots
    for (uint64_t key = 0; key < n; ++key) ASSERT_TRUE(m.contains(key)) << key;
}

TEST(Growth, StridedKeysAlsoStayCompact) {
    CoreMap m;
    const uint64_t n = 300000;
    for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(m.put(i << 32, i), EHM_OK);
    EXPECT_LE(m.stats().capacity, n * 2);
}

TEST(Growth, CapacityHintHoldsThatManyWithoutRebuild) {
    for (uint64_t capacity : {1, 100, 1000, 54321}) {
        CoreMap m(1.0 / 32, capacity);
        for (uint64_t key = 0; key < capacity; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
        EXPECT_EQ(m.stats().rebuilds, 0u) << capacity;
    }
}

TEST(Growth, ReserveRebuildsOnceAndThenHolds) {
    CoreMap m;
    for (uint64_t key = 0; key < 1000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    const uint64_t rebuilds = m.stats().rebuilds;
    ASSERT_EQ(m.map().reserve(100000), EHM_OK);
    EXPECT_EQ(m.stats().rebuilds, rebuilds + 1);
    for (uint64_t key = 0; key < 100000; ++key) ASSERT_EQ(m.put(key, key + 1), EHM_OK);
    EXPECT_EQ(m.stats().rebuilds, rebuilds + 1);
    EXPECT_EQ(m.map().reserve(10), EHM_OK); // smaller than what fits: nothing to do
    EXPECT_EQ(m.stats().rebuilds, rebuilds + 1);
    EXPECT_EQ(m.map().reserve(UINT64_MAX), EHM_ETOOBIG);
}

TEST(Growth, InsertStatisticsDescribeTheCurrentTable) {
    CoreMap m(1.0 / 32, 100000);
    for (uint64_t key = 0; key < 100000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    const ehm_stats s = m.stats();
    EXPECT_EQ(s.inserts, 100000u);
    EXPECT_GE(s.insert_probes_total, s.inserts);
    EXPECT_LE(s.insert_probes_total, 3 * s.inserts);
    EXPECT_GE(s.insert_probes_max, 1u);
    EXPECT_EQ(s.probe_width, kGroupSlots);
}

// With a large delta one growth step may leave the new table over its own
// limit; the growth goes on until the new key fits, so every put at most
// rebuilds once and the table keeps the promised free fraction.
TEST(Growth, LargeDeltaGrowsFarEnoughInOneRebuild) {
    CoreMap m(0.99);
    for (uint64_t key = 0; key < 2000; ++key) {
        const uint64_t before = m.stats().rebuilds;
        ASSERT_EQ(m.put(key, key), EHM_OK);
        ASSERT_LE(m.stats().rebuilds, before + 1) << key;
        const ehm_stats s = m.stats();
        ASSERT_LE(s.size, s.capacity - Delta::from_double(0.99).floor_times(s.capacity)) << key;
    }
    EXPECT_LE(m.stats().rebuilds, 20u);
}
