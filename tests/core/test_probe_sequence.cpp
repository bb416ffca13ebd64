// A key's probe sequence in a level visits every group once before repeating,
// whatever the level's size, so unlimited probing always finds a free group.
#include "geometry.hpp"
#include "hash.hpp"
#include "probe.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace ehm::detail;

namespace {

void expect_permutation(uint64_t groups, unsigned odd_factor, uint64_t hash) {
    std::vector<bool> seen(groups, false);
    ProbeSequence seq(hash, groups, odd_factor);
    for (uint64_t t = 0; t < groups; ++t, seq.advance()) {
        ASSERT_LT(seq.group(), groups);
        ASSERT_FALSE(seen[seq.group()])
            << "groups " << groups << " hash " << hash << " probe " << t;
        seen[seq.group()] = true;
    }
}

} // namespace

TEST(ProbeSequence, CoversEveryLevelSize) {
    for (uint64_t g = 1; g < 3000; g = next_group_count(g)) {
        Shape shape = Shape::of(g);
        for (unsigned level = 0; level < shape.levels; ++level)
            for (uint64_t i = 0; i < 40; ++i)
                expect_permutation(shape.level_groups(level), shape.odd_factor,
                                   mix64(i * 7919 + g));
    }
}

TEST(ProbeSequence, KeysWithTheSameStartPartWays) {
    // Two hashes that share the start but differ in the bits behind the step.
    const uint64_t groups = 1 << 12;
    const uint64_t a = 0x1234500000000000ull | 0x00000000ABCDEF01ull;
    const uint64_t b = 0x1234500000000000ull | 0x0000000012345601ull;
    ProbeSequence sa(a, groups, 1), sb(b, groups, 1);
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
