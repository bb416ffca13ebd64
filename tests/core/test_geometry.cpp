// Level sizes, representable table sizes, the batch quotas and the probe limit.
#include "geometry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace ehm::detail;

namespace {

const Delta kDelta32 = Delta::from_double(1.0 / 32);

uint64_t level_sum(const Shape &s) {
    uint64_t sum = 0;
    for (unsigned i = 0; i < s.levels; ++i) sum += s.level_groups(i);
    return sum;
}

} // namespace

TEST(Shape, RepresentableSizesAreSmallOrFourToSevenTimesAPowerOfTwo) {
    for (uint64_t g = 1; g < 8; ++g) EXPECT_TRUE(Shape::representable(g)) << g;
    for (uint64_t g : {8ull, 10ull, 12ull, 14ull, 16ull, 20ull, 24ull, 28ull, 32ull, 40ull, 48ull,
                       56ull, 1ull << 20, 7ull << 30})
        EXPECT_TRUE(Shape::representable(g)) << g;
    for (uint64_t g : {0, 9, 11, 13, 15, 17, 18, 30, 33, (1 << 20) + 1})
        EXPECT_FALSE(Shape::representable(g)) << g;
    EXPECT_FALSE(Shape::representable(kMaxGroups * 2));
}

TEST(Shape, LevelsHalveAndSumToTheTable) {
    for (uint64_t g = 1; g < 5000; g = next_group_count(g)) {
        Shape s = Shape::of(g);
        ASSERT_EQ(level_sum(s), g);
        for (unsigned i = 0; i + 2 < s.levels; ++i)
            EXPECT_EQ(s.level_groups(i), 2 * s.level_groups(i + 1));
        if (s.levels >= 2) {
            EXPECT_EQ(s.level_groups(s.levels - 1), s.level_groups(s.levels - 2));
        }
        for (unsigned i = 0; i < s.levels; ++i) EXPECT_EQ(s.level_groups(i) % s.odd_factor, 0u);
        EXPECT_EQ(s.odd_factor % 2, 1u);
    }
}

TEST(Shape, PaperLayoutForAPowerOfTwo) {
    Shape s = Shape::of(1024);
    ASSERT_EQ(s.levels, 9u); // 512, 256, ..., 4, 4
    EXPECT_EQ(s.level_groups(0), 512u);
    EXPECT_EQ(s.level_groups(7), 4u);
    EXPECT_EQ(s.level_groups(8), 4u);
    EXPECT_EQ(s.slots(), 1024u * kGroupSlots);
    EXPECT_EQ(Shape::of(20).odd_factor, 5u);
    EXPECT_EQ(Shape::of(24).odd_factor, 3u);
}

TEST(Shape, GrowthIsTheSmallestRepresentableOfAtLeastHalfMore) {
    for (uint64_t g = 1; g < 1000000; g = grown_group_count(g)) {
        const uint64_t grown = grown_group_count(g);
        ASSERT_TRUE(Shape::representable(grown)) << g;
        ASSERT_GE(2 * grown, 3 * g) << g;
        for (uint64_t smaller = grown - 1; 2 * smaller >= 3 * g && smaller > g; --smaller)
            ASSERT_FALSE(Shape::representable(smaller)) << g << " -> " << smaller;
    }
    EXPECT_EQ(grown_group_count(4 << 10), 6u << 10);
    EXPECT_EQ(grown_group_count(6 << 10), 5u << 11);
    EXPECT_EQ(grown_group_count(5 << 11), 4u << 12);
}

TEST(Shape, NextGroupCountIsTheNextRepresentable) {
    for (uint64_t g = 1; g < 100000; g = next_group_count(g)) {
        uint64_t next = next_group_count(g);
        ASSERT_GT(next, g);
        ASSERT_TRUE(Shape::representable(next));
        for (uint64_t between = g + 1; between < next; ++between)
            ASSERT_FALSE(Shape::representable(between));
    }
}

TEST(Delta, FloorTimesIsExactForPowersOfTwo) {
    for (unsigned k = 1; k <= 10; ++k) {
        Delta d = Delta::from_double(std::ldexp(1.0, -static_cast<int>(k)));
        for (uint64_t n : {0, 1, 15, 100, 12345, 1 << 20}) EXPECT_EQ(d.floor_times(n), n >> k);
        EXPECT_EQ(d.log2_inverse(), k);
    }
    EXPECT_EQ(Delta::from_double(0.3).log2_inverse(), 2u);   // ceil(log2(3.33))
    EXPECT_EQ(Delta::from_double(0.999).log2_inverse(), 1u); // at least 1
    EXPECT_GE(Delta::from_double(1e-300).fixed, 1u);
}

TEST(Capacity, MaxOccupiedKeepsDeltaFree) {
    EXPECT_EQ(max_occupied(1024, kDelta32), 1024 * 15 - (1024 * 15) / 32);
    EXPECT_EQ(max_occupied(1, kDelta32), 15u); // floor(15/32) = 0: a tiny table fills up
}

TEST(Capacity, GroupsForEntriesIsTheSmallestThatFits) {
    for (uint64_t entries : {0, 1, 15, 16, 100, 1000, 999999, 1000000, 123456789}) {
        uint64_t g = groups_for_entries(entries, kDelta32);
        ASSERT_NE(g, 0u);
        EXPECT_GE(max_occupied(g, kDelta32), entries);
        for (uint64_t smaller = 1; smaller < g; smaller = next_group_count(smaller))
            EXPECT_LT(max_occupied(smaller, kDelta32), entries) << entries;
    }
    EXPECT_EQ(groups_for_entries(UINT64_MAX, kDelta32), 0u);
}

TEST(Quota, ThresholdsAreTheExactCeilingsAndFloors) {
    for (unsigned k = 1; k <= 9; ++k) {
        Delta d = Delta::from_double(std::ldexp(1.0, -static_cast<int>(k)));
        for (uint64_t s = 15; s < 20000; s += 15) {
            LevelQuota q = LevelQuota::of(s, d);
            EXPECT_EQ(q.three_quarters, (3 * s + 3) / 4); // ceil(0.75 s)
            EXPECT_EQ(q.target, s - (s >> (k + 1)));      // s - floor(delta s / 2)
        }
    }
}

TEST(Quota, BatchQuotaMovesBothLevelsFromOneTargetToTheOther) {
    const LevelQuota a = LevelQuota::of(7680, kDelta32), b = LevelQuota::of(3840, kDelta32);
    // B_i starts with A_i at 3/4 and A_{i+1} empty; ends with A_i at target and A_{i+1} at 3/4.
    EXPECT_EQ(a.three_quarters + batch_quota(a, b), a.target + b.three_quarters);
    EXPECT_EQ(batch_quota(a, b), 7680u - 120 - 5760 + 2880);
}

TEST(ProbeLimit, FollowsTheFormulaWithLogRoundedUp) {
    const uint64_t s = 1 << 16;
    EXPECT_EQ(probe_limit(s, s, kDelta32), 1u);      // e = 1: log 0, at least one probe
    EXPECT_EQ(probe_limit(s / 2, s, kDelta32), 4u);  // 4 * min(1, 5)
    EXPECT_EQ(probe_limit(s / 4, s, kDelta32), 16u); // 4 * min(4, 5)
    EXPECT_EQ(probe_limit(s / 8, s, kDelta32), 20u); // 4 * min(9, 5)
    EXPECT_EQ(probe_limit(s / 3, s, kDelta32), 16u); // log2(3) rounds up to 2
    EXPECT_EQ(probe_limit(1, s, kDelta32), 20u);
    const Delta d256 = Delta::from_double(1.0 / 256);
    EXPECT_EQ(probe_limit(s / 8, s, d256), 32u); // 4 * min(9, 8)
}

TEST(ProbeLimit, GrowsAsTheLevelFills) {
    const uint64_t s = 30000;
    uint64_t previous = 0;
    for (uint64_t free = s; free >= 1; --free) {
        uint64_t f = probe_limit(free, s, kDelta32);
        ASSERT_GE(f, previous);
        ASSERT_LE(f, 4u * 5);
        previous = f;
    }
}
