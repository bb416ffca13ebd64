// Removal leaves tombstones that never break another key's chain; inserts
// reuse the ones on their own path, and rebuilds reclaim the rest.
#include "map_fixture.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>

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
    const uint64_t filled = next;
    for (uint64_t key = 0; key < filled; key += 2) ASSERT_EQ(m.remove(key), EHM_OK);
    const uint64_t rebuilds = m.stats().rebuilds;
    // Fresh keys, each after a removal, consume new slots until the limit;
    // then the table, whose live entries fill under two thirds of it, is
    // rebuilt in place.
    std::deque<uint64_t> live;
    for (uint64_t key = 1; key < filled; key += 2) live.push_back(key);
    std::set<uint64_t> removed;
    for (; m.stats().rebuilds == rebuilds; ++next) {
        ASSERT_EQ(m.remove(live.front()), EHM_OK);
        removed.insert(live.front());
        live.pop_front();
        ASSERT_EQ(m.put(next, next), EHM_OK);
        live.push_back(next);
    }
    const ehm_stats after = m.stats();
    EXPECT_EQ(after.capacity, capacity);
    EXPECT_EQ(after.tombstones, 0u);
    for (uint64_t key = 0; key < next; ++key)
        ASSERT_EQ(m.contains(key), key % 2 == 1 || key >= filled ? removed.count(key) == 0 : false)
            << key;
}

TEST(Tombstones, ChurnAtSteadySizeStaysBoundedAndCorrect) {
    CoreMap m(1.0 / 32, 20000);
    // Live entries within two thirds of the limit: churn rebuilds in place.
    const uint64_t steady = m.stats().capacity * 3 / 5;
    for (uint64_t key = 0; key < steady; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
    const uint64_t capacity = m.stats().capacity;
    const uint64_t rebuilds = m.stats().rebuilds;
    for (uint64_t round = 0; round < 200000; ++round) {
        ASSERT_EQ(m.remove(round), EHM_OK);
        ASSERT_EQ(m.put(round + steady, round), EHM_OK);
        ASSERT_LE(m.stats().tombstones, capacity);
    }
    EXPECT_EQ(m.stats().capacity, capacity); // churn never grows a table whose size is steady
    EXPECT_GT(m.stats().rebuilds, rebuilds);
    for (uint64_t key = 200000; key < 200000 + steady; ++key) ASSERT_TRUE(m.contains(key));
}

// Above two thirds of the limit a same-size rebuild would buy too few
// placements for the entries it moves: churn grows the table once, and then
// rebuilds in place, each rebuild paid for by at least half as many
// placements as it moves.
TEST(Tombstones, ChurnNearTheLimitGrowsOnceThenStays) {
    for (const uint64_t per_mille : {700, 846, 848, 900, 960}) {
        CoreMap m(1.0 / 32, 20000);
        const uint64_t capacity = m.stats().capacity;
        const uint64_t steady = capacity * per_mille / 1000;
        for (uint64_t key = 0; key < steady; ++key) ASSERT_EQ(m.put(key, key), EHM_OK);
        ASSERT_EQ(m.stats().capacity, capacity) << per_mille;
        const uint64_t rounds = 400000;
        uint64_t grown = 0;
        for (uint64_t round = 0; round < rounds; ++round) {
            ASSERT_EQ(m.remove(round), EHM_OK);
            ASSERT_EQ(m.put(round + steady, round), EHM_OK);
            if (grown == 0 && m.stats().capacity != capacity) grown = m.stats().capacity;
        }
        EXPECT_GT(grown, capacity) << per_mille;
        EXPECT_EQ(m.stats().capacity, grown) << per_mille << ": grew more than once";
        // Entries moved by rebuilds, per pair: at most about 2 whatever the size.
        EXPECT_LT(static_cast<double>(m.stats().rebuilds) * static_cast<double>(steady) /
                      static_cast<double>(rounds),
                  2.0)
            << per_mille;
        for (uint64_t key = rounds; key < rounds + steady; ++key) ASSERT_TRUE(m.contains(key));
    }
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
