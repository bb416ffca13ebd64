// Holds ehm to the paper's bounds (docs/paper-bounds.md) on small tables with
// fixed seeds, and checks that the probe counts behind every figure are the
// work the map and the baseline did. The measurement is the one the document's
// tables come from (bounds.hpp), at sizes that run in seconds.
#include "bounds.hpp"
#include "key_stream.hpp"
#include "uniform_table.hpp"

#include <ehm/ehm.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kSlots = uint64_t{1} << 16;

bounds::Setup small_setup(unsigned log2_inverse_delta) {
    bounds::Setup setup;
    setup.log2_inverse_delta = log2_inverse_delta;
    setup.min_slots = kSlots;
    setup.miss_lookups = 4096;
    setup.seeds = {1, 2};
    return setup;
}

// The bound the test holds the hardest insertions and the misses to.
double log_bound(unsigned log2_inverse_delta) {
    return 2.0 * log2_inverse_delta + 2.0;
}

struct MapDeleter {
    void operator()(ehm_map *map) const { ehm_destroy(map); }
};
using MapPtr = std::unique_ptr<ehm_map, MapDeleter>;

MapPtr fixed_map(uint64_t capacity) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 7;
    cfg.capacity = capacity;
    cfg.key_size = 8;
    cfg.value_size = 8;
    ehm_map *map = nullptr;
    EXPECT_EQ(ehm_create(&map, &cfg), EHM_OK);
    return MapPtr(map);
}

ehm_stats stats_of(const ehm_map *map) {
    ehm_stats s;
    std::memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    EXPECT_EQ(ehm_stats_get(map, &s), EHM_OK);
    return s;
}

uint64_t lookup_probes(const ehm_map *map, uint64_t key, int expected) {
    uint64_t probes = 0;
    EXPECT_EQ(ehm_probe_count(map, &key, sizeof key, &probes), expected) << key;
    return probes;
}

// ---- the bounds ---------------------------------------------------------------

class PaperBounds : public ::testing::TestWithParam<unsigned> {};

TEST_P(PaperBounds, HoldAtTheGrowthPoint) {
    const unsigned k = GetParam();
    const bounds::Setup setup = small_setup(k);
    bounds::FillRow row;
    std::string error;
    ASSERT_TRUE(bounds::measure_fill(setup, row, error)) << error;
    ASSERT_GE(row.slots, kSlots);
    EXPECT_GE(row.load.value(), 1.0 - setup.delta() - 0.01);
    EXPECT_LE(row.elastic.insert.value(), 3.0);
    EXPECT_LE(row.elastic.last_percent.value(), log_bound(k));
    EXPECT_LE(row.elastic.miss.value(), log_bound(k));
}

INSTANTIATE_TEST_SUITE_P(DeltaDownTo1Over256, PaperBounds, ::testing::Range(1u, 9u),
                         [](const ::testing::TestParamInfo<unsigned> &info) {
                             return "delta_1_over_" + std::to_string(1u << info.param);
                         });

// ---- the baseline -----------------------------------------------------------------

// Uniform probing is greedy: a present key's lookup reads exactly the groups
// its insertion read, and a miss stops at the first group with a free slot.
TEST(UniformBaseline, LookupsRetraceInsertions) {
    bounds::UniformTable table;
    ASSERT_EQ(table.init(512, 3), EHM_OK);
    const uint64_t n = table.slots() - table.slots() / 256;
    bounds::KeyStream stream(3);
    std::vector<uint64_t> keys(n), probes(n);
    uint64_t longest = 0;
    for (uint64_t i = 0; i < n; ++i) {
        keys[i] = stream.next();
        probes[i] = table.insert(keys[i]);
        longest = std::max(longest, probes[i]);
    }
    EXPECT_EQ(table.size(), n);
    EXPECT_GT(longest, 10u) << "the table never got crowded";
    for (uint64_t i = 0; i < n; ++i) {
        bool found = false;
        ASSERT_EQ(table.lookup(keys[i], found), probes[i]) << i;
        ASSERT_TRUE(found) << i;
    }
    for (int i = 0; i < 1000; ++i) {
        bool found = true;
        EXPECT_GE(table.lookup(stream.next(), found), 1u);
        EXPECT_FALSE(found);
    }
}

// The contrast the document draws: uniform probing's hardest insertions grow
// like 1/delta (a 16 times smaller delta costs at least 4 times the probes;
// a log curve would not even double), well above elastic hashing's.
TEST(UniformBaseline, HardestInsertionsGrowLikeOneOverDelta) {
    bounds::FillRow at16, at256;
    std::string error;
    ASSERT_TRUE(bounds::measure_fill(small_setup(4), at16, error)) << error;
    ASSERT_TRUE(bounds::measure_fill(small_setup(8), at256, error)) << error;
    EXPECT_GE(at256.uniform.last_percent.value(), 4.0 * at16.uniform.last_percent.value());
    EXPECT_GE(at256.uniform.last_percent.value(), 4.0 * at256.elastic.last_percent.value());
}

// ---- the probe counts are real work ---------------------------------------------

TEST(ProbeCounts, EveryInsertionCountsTheGroupsItRead) {
    MapPtr map = fixed_map(20000);
    ASSERT_NE(map, nullptr);
    bounds::KeyStream stream(11);
    ehm_stats before = stats_of(map.get());
    for (int i = 0; i < 20000; ++i) {
        const uint64_t key = stream.next();
        ASSERT_EQ(ehm_put(map.get(), &key, sizeof key, &key, sizeof key), EHM_OK);
        const ehm_stats after = stats_of(map.get());
        ASSERT_EQ(after.inserts, before.inserts + 1) << i;
        ASSERT_GE(after.insert_probes_total, before.insert_probes_total + 1) << i;
        before = after;
    }
    EXPECT_EQ(before.rebuilds, 0u);
    EXPECT_GE(before.insert_probes_total, before.inserts);
    EXPECT_GE(before.insert_probes_max, 2u);
}

// While the first batch fills A1 (half the table) to 3/4, every key takes the
// first group of its A1 sequence with an empty slot, so its lookup must read
// exactly the groups its insertion read: the home group, then the sequence.
TEST(ProbeCounts, LookupsRetraceGreedyInsertions) {
    MapPtr map = fixed_map(40000);
    ASSERT_NE(map, nullptr);
    const uint64_t n = ehm_capacity(map.get()) / 4;
    bounds::KeyStream stream(5);
    std::vector<uint64_t> keys(n), probes(n);
    uint64_t previous = 0, longest = 0;
    for (uint64_t i = 0; i < n; ++i) {
        keys[i] = stream.next();
        ASSERT_EQ(ehm_put(map.get(), &keys[i], 8, &keys[i], 8), EHM_OK);
        const uint64_t total = stats_of(map.get()).insert_probes_total;
        probes[i] = total - previous;
        previous = total;
        longest = std::max(longest, probes[i]);
    }
    EXPECT_GE(longest, 2u) << "no insertion went past its first group";
    for (uint64_t i = 0; i < n; ++i)
        ASSERT_EQ(lookup_probes(map.get(), keys[i], EHM_OK), probes[i]);
}

TEST(ProbeCounts, AnEmptyMapAnswersFromTheHomeGroup) {
    MapPtr map = fixed_map(1000);
    ASSERT_NE(map, nullptr);
    const uint64_t key = 42, other = 43;
    EXPECT_EQ(lookup_probes(map.get(), key, EHM_NOTFOUND), 1u);
    ASSERT_EQ(ehm_put(map.get(), &key, 8, &key, 8), EHM_OK);
    EXPECT_EQ(stats_of(map.get()).insert_probes_total, 1u);
    EXPECT_EQ(lookup_probes(map.get(), key, EHM_OK), 1u);
    EXPECT_GE(lookup_probes(map.get(), other, EHM_NOTFOUND), 1u);
}

// ---- outside the paper: deletions and growth ---------------------------------------

TEST(OutsideThePaper, ChurnKeepsLookupsWithinTheBound) {
    const bounds::Setup setup = small_setup(5);
    bounds::ChurnRow row;
    std::string error;
    ASSERT_TRUE(bounds::measure_churn(setup, row, error)) << error;
    EXPECT_GE(row.rebuilds.value(), 1.0) << "churn never reclaimed its tombstones";
    EXPECT_LE(row.insert.value(), 3.0);
    EXPECT_LE(row.hit.value(), log_bound(5));
    EXPECT_LE(row.miss.value(), log_bound(5));
}

// Growth multiplies the groups by at least 1.5 at each growth point, so the
// rebuilds place every entry at most 1/(1.5 - 1) = 2 more times in all:
// fewer than 3 placements per entry.
TEST(OutsideThePaper, GrowthPlacesEachEntryLessThanThreeTimes) {
    const bounds::Setup setup = small_setup(5);
    bounds::GrowthRow row;
    std::string error;
    ASSERT_TRUE(bounds::measure_growth(setup, row, error)) << error;
    EXPECT_GE(row.rebuilds.value(), 5.0);
    EXPECT_GT(row.placements.value(), 1.5);
    EXPECT_LT(row.placements.value(), 3.0);
    EXPECT_LE(row.probes.value(), 3.0);
    EXPECT_LE(row.hit.value(), log_bound(5));
    EXPECT_LE(row.miss.value(), log_bound(5));
}

} // namespace
