// A key's probe sequence in a level visits every group within its period,
// whatever the level's size and start, with or without A1's buddy, so
// unlimited probing always finds a free group.
#include "geometry.hpp"
#include "hash.hpp"
#include "probe.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace ehm::detail;

namespace {

ProbeSequence from_level_hash(uint64_t hash, uint64_t groups, unsigned odd_factor) {
    return ProbeSequence(hash, groups, odd_factor, reduce(hash, groups), false);
}

void expect_permutation(uint64_t groups, unsigned odd_factor, uint64_t hash, uint64_t start) {
    std::vector<bool> seen(groups, false);
    ProbeSequence seq(hash, groups, odd_factor, start, false);
    for (uint64_t t = 0; t < groups; ++t, seq.advance()) {
        ASSERT_LT(seq.group(), groups);
        ASSERT_FALSE(seen[seq.group()])
            << "groups " << groups << " hash " << hash << " probe " << t;
        seen[seq.group()] = true;
    }
}

// With the buddy: start, start ^ 1, then the double-hash sequence from start;
// every group within groups + 1 positions, and only the buddy twice.
void expect_cover_with_buddy(uint64_t groups, unsigned odd_factor, uint64_t hash, uint64_t start) {
    std::vector<int> seen(groups, 0);
    ProbeSequence seq(hash, groups, odd_factor, start, true);
    const uint64_t period = ProbeSequence::period(groups, true);
    ASSERT_EQ(period, groups + 1);
    for (uint64_t t = 0; t < period; ++t, seq.advance()) {
        ASSERT_LT(seq.group(), groups);
        if (t < 2) {
            ASSERT_EQ(seq.group(), t == 0 ? start : start ^ 1);
        }
        ++seen[seq.group()];
    }
    for (uint64_t g = 0; g < groups; ++g)
        ASSERT_EQ(seen[g], g == (start ^ 1) ? 2 : 1) << "groups " << groups << " group " << g;
}

} // namespace

TEST(ProbeSequence, CoversEveryLevelSize) {
    for (uint64_t g = 1; g < 3000; g = next_group_count(g)) {
        Shape shape = Shape::of(g);
        for (unsigned level = 0; level < shape.levels; ++level)
            for (uint64_t i = 0; i < 40; ++i) {
                const uint64_t hash = mix64(i * 7919 + g), groups = shape.level_groups(level);
                expect_permutation(groups, shape.odd_factor, hash, reduce(hash, groups));
                // A start fixed by the home group rather than the level hash.
                expect_permutation(groups, shape.odd_factor, hash, i % groups);
            }
    }
}

TEST(ProbeSequence, TheBuddyComesSecondAndNothingIsMissed) {
    for (uint64_t g = 2; g < 3000; g = next_group_count(g)) {
        Shape shape = Shape::of(g);
        const uint64_t groups = shape.level_groups(0);
        if (groups % 2 != 0) continue;
        for (uint64_t i = 0; i < 40; ++i)
            expect_cover_with_buddy(groups, shape.odd_factor, mix64(i * 104729 + g), i % groups);
    }
}

TEST(ProbeSequence, KeysWithTheSameStartPartWays) {
    // Two hashes that share the start but differ in the bits behind the step.
    const uint64_t groups = 1 << 12;
    const uint64_t a = 0x1234500000000000ull | 0x00000000ABCDEF01ull;
    const uint64_t b = 0x1234500000000000ull | 0x0000000012345601ull;
    ProbeSequence sa = from_level_hash(a, groups, 1), sb = from_level_hash(b, groups, 1);
    ASSERT_EQ(sa.group(), sb.group());
    sa.advance();
    sb.advance();
    EXPECT_NE(sa.group(), sb.group());
}

TEST(ProbeSequence, LevelHashesAreIndependentOfEachOther) {
    // Keys that share an A1 start must spread over A2.
    const uint64_t groups = 1 << 10;
    std::vector<int> hits(groups, 0);
    for (uint64_t i = 0; i < 4096; ++i) {
        uint64_t hash = (uint64_t{7} << 54) | (i << 8); // same top bits, same A1 start
        ASSERT_EQ(reduce(hash, groups * 2), reduce(uint64_t{7} << 54, groups * 2));
        hits[reduce(level_hash(hash, 1), groups)]++;
    }
    int used = 0;
    for (int h : hits) used += h > 0;
    EXPECT_GT(used, static_cast<int>(groups) * 9 / 10);
}
