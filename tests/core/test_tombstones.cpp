// Removal leaves tombstones that never break another key's chain; inserts
// reuse the ones on their own path, and rebuilds reclaim the rest.
#include "map_fixture.hpp"

#include <gtest/gtest.h>

using namespace ehm_test;

TEST(Tombstones, RemovalKeepsEveryOtherKeyFindable) {
    CoreMap m(1.0 / 64, 50000);
    for (uint64_t key = 0; key < 50000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    for (uint64_t key = 0; key < 50000; key += 3) ASSERT_EQ(m.remove(key), EHM_OK);
    EXPECT_EQ(m.stats().tombstones, (50000u + 2) / 3);
    for (uint64_t key = 0; key < 50000; ++key) ASSERT_EQ(m.contains(key), key % 3 != 0) << key;
    EXPECT_EQ(m.remove(0), EHM_NOTFOUND);
}

TEST(Tombstones, ReinsertingARemovedKeyReusesItsSlot) {
    CoreMap m;
    for (uint64_t key = 0; key < 1000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    const ehm_stats full = m.stats();
    ASSERT_EQ(m.remove(500), EHM_OK);
    EXPECT_EQ(m.stats().tombstones, full.tombstones + 1);
    ASSERT_EQ(m.put(500, 1), EHM_OK);
    EXPECT_EQ(m.stats().tombstones, full.tombstones);
    EXPECT_TRUE(m.contains(500));
}

TEST(Tombstones, ARebuildAtTheSameSizeReclaimsThem) {
    CoreMap m(1.0 / 32, 10000);
    const uint64_t capacity = m.stats().capacity;
    uint64_t next = 0;
    for (; m.stats().size + m.stats().tombstones < 10000; ++next)
        ASSERT_EQ(m.put(next, next), EHM_OK);
    for (uint64_t key = 0; key < next; key += 2) ASSERT_EQ(m.remove(key), EHM_OK);
    const uint64_t rebuilds = m.stats().rebuilds;
    // Fresh keys consume new slots until the limit, then the table is rebuilt in place.
    for (; m.stats().rebuilds == rebuilds; ++next) ASSERT_EQ(m.put(next, next), EHM_OK);
    const ehm_stats after = m.stats();
    EXPECT_EQ(after.capacity, capacity);
    EXPECT_EQ(after.tombstones, 0u);
    for (uint64_t key = 0; key < next; ++key)
        ASSERT_EQ(m.contains(key), key % 2 == 1 || key >= 10000) << key;
}

TEST(Tombstones, ChurnAtSteadySizeStaysBoundedAndCorrect) {
    CoreMap m(1.0 / 32, 20000);
    for (uint64_t key = 0; key < 15000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    const uint64_t capacity = m.stats().capacity;
    for (uint64_t round = 0; round < 200000; ++round) {
        ASSERT_EQ(m.remove(round), EHM_OK);
        ASSERT_EQ(m.put(round + 15000, round), EHM_OK);
        ASSERT_LE(m.stats().tombstones, capacity);
    }
    EXPECT_EQ(m.stats().capacity, capacity); // churn never grows a table whose size is steady
    for (uint64_t key = 200000; key < 215000; ++key) ASSERT_TRUE(m.contains(key));
}

TEST(Tombstones, ClearForgetsThemAndKeepsCapacity) {
    CoreMap m;
    for (uint64_t key = 0; key < 5000; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    for (uint64_t key = 0; key < 5000; key += 2) ASSERT_EQ(m.remove(key), EHM_OK);
    const uint64_t capacity = m.stats().capacity;
    m.map().clear();
    const ehm_stats s = m.stats();
    EXPECT_EQ(s.size, 0u);
    EXPECT_EQ(s.tombstones, 0u);
    EXPECT_EQ(s.capacity, capacity);
    EXPECT_FALSE(m.contains(1));
    ASSERT_EQ(m.put(1, 2), EHM_OK);
    EXPECT_TRUE(m.contains(1));
}
