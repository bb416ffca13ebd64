// MetaLayout and HomeRecords (superblock.hpp): where every level's control
// words live and which groups a key's first probes name. Lookups read these
// addresses without a bounds check, and a word shared by two groups would let
// one group's tags pass for another's. So, for every table size up to a few
// thousand groups (and a few large ones, by arithmetic alone): every word
// lies inside the metadata and no two share a byte; bytes() is exactly the
// words plus the superblocks' unused tails; the folded HomeRecords address
// the same records as A1's ControlWords; with superblocks, a home's record,
// its buddy's and its A2 and A3 first groups' words share one 320-byte
// superblock; and the home-to-first-group maps stay in range and leave no
// group of A2 or A3 without homes.
#include "geometry.hpp"
#include "superblock.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

using namespace ehm::detail;

namespace {

unsigned word_bytes(unsigned level) {
    return level == 0 ? kHomeRecordBytes : kControlWordBytes;
}

// What the words of every level take, plus 16 unused bytes per superblock.
uint64_t expected_bytes(const Shape &shape) {
    uint64_t total = 0;
    for (unsigned l = 0; l < shape.levels; ++l) total += shape.level_groups(l) * word_bytes(l);
    if (shape.k >= kLevelsFromHome) total += shape.level_groups(kLevelsFromHome - 1) * 16;
    return total;
}

uint64_t offset(const uint8_t *meta, const uint8_t *address) {
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(address) -
                                 reinterpret_cast<uintptr_t>(meta));
}

// A reproducible stream of indices for the sampled checks.
class Sampler {
public:
    uint64_t below(uint64_t n) {
        state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<uint64_t>((static_cast<unsigned __int128>(state_ >> 11) * n) >> 53);
    }

private:
    uint64_t state_ = 0x2545F4914F6CDD1Dull;
};

// The first and last 64 groups of a level of `groups`, and `random` more.
std::vector<uint64_t> sample_groups(uint64_t groups, unsigned random, Sampler &sampler) {
    std::vector<uint64_t> out;
    for (uint64_t g = 0; g < groups && g < 64; ++g) out.push_back(g);
    for (uint64_t g = groups > 64 ? groups - 64 : 64; g < groups; ++g) out.push_back(g);
    for (unsigned i = 0; i < random; ++i) out.push_back(sampler.below(groups));
    return out;
}

// A key whose home is A1 group g: its record, its buddy and its first groups
// in A2 and A3 are where a lookup's first fetch expects them.
void expect_home_addresses(const Shape &shape, const MetaLayout &layout, uint8_t *meta,
                           uint64_t bytes, uint64_t g) {
    const ControlWords a1 = layout.level(meta, 0);
    const ControlWords a2 = layout.level(meta, shape.levels > 1 ? 1 : 0);
    const HomeRecords homes(a1, a2);
    ASSERT_EQ(homes.at(g), a1.at(g)) << "groups " << shape.groups << " home " << g;
    ASSERT_LE(offset(meta, homes.firsts(g)) + 3 * kControlWordBytes, bytes)
        << "groups " << shape.groups << " home " << g;
    if (layout.has_buddy()) {
        ASSERT_LT(g ^ 1, shape.level_groups(0)) << shape.groups;
    }
    for (unsigned level = 1; level < kLevelsFromHome && level < shape.levels; ++level)
        ASSERT_LT(g >> layout.home_shift(level), shape.level_groups(level))
            << "groups " << shape.groups << " home " << g << " level " << level;
    if (!layout.superblocks()) return;

    ASSERT_TRUE(layout.has_buddy()) << shape.groups; // A1 is m * 2^(k-1), even
    ASSERT_EQ(layout.home_shift(1), 1u);
    ASSERT_EQ(layout.home_shift(2), 2u);
    const ControlWords a3 = layout.level(meta, 2);
    uint8_t *a2_first = a2.at(g >> 1), *a3_first = a3.at(g >> 2);
    ASSERT_EQ(homes.firsts(g), a2_first - ((g >> 1) & 1) * kControlWordBytes)
        << "groups " << shape.groups << " home " << g;
    ASSERT_EQ(homes.firsts(g) + 2 * kControlWordBytes, a3_first)
        << "groups " << shape.groups << " home " << g;
    const uint64_t superblock = offset(meta, homes.at(g)) / kSuperblockBytes;
    EXPECT_EQ(offset(meta, a1.at(g ^ 1)) / kSuperblockBytes, superblock) << "buddy of " << g;
    EXPECT_EQ(offset(meta, a2_first) / kSuperblockBytes, superblock) << "A2 first of " << g;
    EXPECT_EQ(offset(meta, a3_first) / kSuperblockBytes, superblock) << "A3 first of " << g;
    // The word ends in the superblock too, not only starts there.
    EXPECT_EQ((offset(meta, homes.at(g)) + kHomeRecordBytes - 1) / kSuperblockBytes, superblock);
    EXPECT_EQ((offset(meta, a3_first) + kControlWordBytes - 1) / kSuperblockBytes, superblock);
}

// Every word of every level of a table of `groups` groups, against real
// memory: inside the metadata, each byte owned by at most one group.
void expect_exhaustive_layout(uint64_t groups) {
    const Shape shape = Shape::of(groups);
    const MetaLayout layout(shape);
    ASSERT_EQ(layout.superblocks(), shape.k >= 3) << groups;
    const uint64_t bytes = static_cast<uint64_t>(layout.bytes());
    ASSERT_EQ(layout.bytes(), static_cast<unsigned __int128>(expected_bytes(shape))) << groups;
    ASSERT_EQ(layout.has_buddy(), shape.level_groups(0) % 2 == 0) << groups;
    EXPECT_EQ(layout.home_shift(0), 0u) << groups;

    std::vector<uint8_t> meta(bytes);
    std::vector<bool> owned(bytes, false);
    uint64_t owned_bytes = 0;
    for (unsigned level = 0; level < shape.levels; ++level) {
        const ControlWords words = layout.level(meta.data(), level);
        for (uint64_t g = 0; g < shape.level_groups(level); ++g) {
            const uint8_t *word = words.at(g);
            ASSERT_GE(word, meta.data()) << "groups " << groups << " level " << level << " " << g;
            const uint64_t start = offset(meta.data(), word);
            ASSERT_LE(start + word_bytes(level), bytes)
                << "groups " << groups << " level " << level << " group " << g;
            for (uint64_t b = start; b < start + word_bytes(level); ++b) {
                ASSERT_FALSE(owned[b]) << "groups " << groups << " level " << level << " group "
                                       << g << " overlaps an earlier word at byte " << b;
                owned[b] = true;
            }
            owned_bytes += word_bytes(level);
        }
    }
    const uint64_t superblocks = layout.superblocks() ? shape.level_groups(2) : 0;
    EXPECT_EQ(owned_bytes + 16 * superblocks, bytes) << groups;

    for (uint64_t g = 0; g < shape.level_groups(0); ++g)
        ASSERT_NO_FATAL_FAILURE(expect_home_addresses(shape, layout, meta.data(), bytes, g));

    // Levels 1 and 2: every group is the first group of the same number of
    // homes, at least one.
    for (unsigned level = 1; level < kLevelsFromHome && level < shape.levels; ++level) {
        std::vector<uint64_t> homes(shape.level_groups(level), 0);
        for (uint64_t g = 0; g < shape.level_groups(0); ++g) ++homes[g >> layout.home_shift(level)];
        const uint64_t each = shape.level_groups(0) / shape.level_groups(level);
        ASSERT_GE(each, 1u) << groups;
        for (uint64_t j = 0; j < homes.size(); ++j)
            ASSERT_EQ(homes[j], each) << "groups " << groups << " level " << level << " group " << j
                                      << " has " << homes[j] << " homes";
    }
}

} // namespace

TEST(MetaLayout, EverySmallTableExhaustively) {
    unsigned sizes = 0;
    for (uint64_t g = 1; g <= 6000; g = next_group_count(g), ++sizes)
        ASSERT_NO_FATAL_FAILURE(expect_exhaustive_layout(g));
    EXPECT_GT(sizes, 40u);
}

// Tables of tens of thousands of groups and a few MB of metadata, with every
// word checked against real memory.
TEST(MetaLayout, MediumTablesExhaustively) {
    for (uint64_t g : {uint64_t{5} << 12, uint64_t{7} << 13, uint64_t{4} << 15, uint64_t{6} << 14})
        ASSERT_NO_FATAL_FAILURE(expect_exhaustive_layout(g));
}

TEST(MetaLayout, SmallTablesKeepTheirLevelsInArrays) {
    for (uint64_t g = 1; g < 32; g = next_group_count(g))
        EXPECT_FALSE(MetaLayout(Shape::of(g)).superblocks()) << g;
    for (uint64_t g = 32; g < 6000; g = next_group_count(g))
        EXPECT_TRUE(MetaLayout(Shape::of(g)).superblocks()) << g;
}

// Large tables by arithmetic alone (no memory behind `meta`; the addresses
// are only compared): sampled groups of every level sit where the layout
// documents them, which, with bytes() ending exactly after the last level,
// leaves no room for two groups to share a word, and the home checks hold.
TEST(MetaLayout, LargeTablesByArithmetic) {
    uint8_t *const meta = reinterpret_cast<uint8_t *>(uintptr_t{1} << 32);
    Sampler sampler;
    for (uint64_t groups : {uint64_t{5} << 20, uint64_t{7} << 22, uint64_t{6} << 33, kMaxGroups}) {
        ASSERT_TRUE(Shape::representable(groups)) << groups;
        const Shape shape = Shape::of(groups);
        const MetaLayout layout(shape);
        ASSERT_TRUE(layout.superblocks());
        ASSERT_EQ(layout.bytes(), static_cast<unsigned __int128>(expected_bytes(shape))) << groups;
        const uint64_t bytes = static_cast<uint64_t>(layout.bytes());
        ASSERT_EQ(layout.has_buddy(), shape.level_groups(0) % 2 == 0);

        // A1, A2 and A3 in superblocks: A1 group g at record g % 4 of
        // superblock g / 4, A2 group j at word j % 2 after the four records,
        // A3 group t after those.
        const uint64_t per_superblock[kLevelsFromHome] = {4, 2, 1};
        const uint64_t first_byte[kLevelsFromHome] = {0, 256, 288};
        for (unsigned level = 0; level < kLevelsFromHome; ++level) {
            const ControlWords words = layout.level(meta, level);
            for (uint64_t j : sample_groups(shape.level_groups(level), 2000, sampler)) {
                const uint64_t expected = j / per_superblock[level] * kSuperblockBytes +
                                          first_byte[level] +
                                          j % per_superblock[level] * word_bytes(level);
                ASSERT_EQ(offset(meta, words.at(j)), expected)
                    << "groups " << groups << " level " << level << " group " << j;
            }
        }
        // Every later level in an array of its own, one after the other.
        uint64_t start = shape.level_groups(2) * kSuperblockBytes;
        for (unsigned level = kLevelsFromHome; level < shape.levels; ++level) {
            const ControlWords words = layout.level(meta, level);
            for (uint64_t j : sample_groups(shape.level_groups(level), 200, sampler))
                ASSERT_EQ(offset(meta, words.at(j)), start + j * kControlWordBytes)
                    << "groups " << groups << " level " << level << " group " << j;
            start += shape.level_groups(level) * kControlWordBytes;
        }
        EXPECT_EQ(start, bytes) << groups;

        for (uint64_t g : sample_groups(shape.level_groups(0), 5000, sampler))
            ASSERT_NO_FATAL_FAILURE(expect_home_addresses(shape, layout, meta, bytes, g));
        // Onto: the group j << shift is a home whose first group is j.
        for (unsigned level = 1; level < kLevelsFromHome; ++level) {
            const unsigned shift = layout.home_shift(level);
            for (uint64_t j : sample_groups(shape.level_groups(level), 2000, sampler)) {
                ASSERT_LT(j << shift, shape.level_groups(0));
                ASSERT_EQ((j << shift) >> shift, j);
            }
            EXPECT_EQ(shape.level_groups(level) << shift, shape.level_groups(0)) << groups;
        }
    }
}

// home_shift keeps g >> shift inside levels 1 and 2 for the small shapes,
// where the last level equals the one before it.
TEST(MetaLayout, HomeShiftsOfSmallShapes) {
    EXPECT_EQ(MetaLayout(Shape::of(7)).home_shift(1), 0u);  // one level: unused, but harmless
    EXPECT_EQ(MetaLayout(Shape::of(8)).home_shift(1), 0u);  // 4 + 4
    EXPECT_EQ(MetaLayout(Shape::of(16)).home_shift(1), 1u); // 8 + 4 + 4
    EXPECT_EQ(MetaLayout(Shape::of(16)).home_shift(2), 1u);
    EXPECT_EQ(MetaLayout(Shape::of(32)).home_shift(2), 2u); // 16 + 8 + 4 + 4
    EXPECT_EQ(MetaLayout(Shape::of(1u << 20)).home_shift(2), 2u);
}

TEST(MetaLayout, BuddyOnlyWithAnEvenA1) {
    for (uint64_t g = 1; g <= 6000; g = next_group_count(g)) {
        const Shape shape = Shape::of(g);
        const MetaLayout layout(shape);
        ASSERT_EQ(layout.has_buddy(), shape.level_groups(0) % 2 == 0) << g;
        if (!layout.has_buddy()) continue;
        for (uint64_t h = 0; h < shape.level_groups(0); ++h) {
            ASSERT_LT(h ^ 1, shape.level_groups(0)) << g;
            ASSERT_NE(h ^ 1, h);
        }
    }
    EXPECT_FALSE(MetaLayout(Shape::of(5)).has_buddy());  // one level of 5
    EXPECT_TRUE(MetaLayout(Shape::of(6)).has_buddy());   // one level of 6
    EXPECT_FALSE(MetaLayout(Shape::of(10)).has_buddy()); // 5 + 5
    EXPECT_TRUE(MetaLayout(Shape::of(20)).has_buddy());  // 10 + 5 + 5
}
