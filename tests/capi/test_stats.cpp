// ehm_stats_get (struct_size handling and the figures) and ehm_probe_count.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

// A caller compiled against a newer header: the same prefix plus a tail.
struct NewerStats {
    ehm_stats s;
    unsigned char tail[24];
};

class Stats : public SeededMapTest<17> {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(SeededMapTest::SetUp());
        fill(m(), 500);
    }

    // ehm_probe_count returns `code` for key_of(i), i in [first, last), and
    // reports at least one probe.
    void expect_probe_counts(size_t first, size_t last, int code) {
        for (size_t i = first; i < last; ++i) {
            uint64_t probes = 0;
            const std::string k = key_of(i);
            ASSERT_EQ(ehm_probe_count(m(), k.data(), k.size(), &probes), code) << k;
            EXPECT_GE(probes, 1u) << k;
        }
    }
};

TEST_F(Stats, FreshMap) {
    MapPtr fresh = make_map(nullptr);
    ASSERT_NE(fresh, nullptr);
    const ehm_stats s = stats_of(fresh.get());
    EXPECT_EQ(s.size, 0u);
    EXPECT_EQ(s.capacity, ehm_capacity(fresh.get()));
    EXPECT_EQ(s.tombstones, 0u);
    EXPECT_GT(s.memory_bytes, 0u);
    EXPECT_GE(s.probe_width, 1u);
    EXPECT_EQ(s.inserts, 0u);
    EXPECT_EQ(s.insert_probes_total, 0u);
    EXPECT_EQ(s.insert_probes_max, 0u);
    EXPECT_EQ(s.rebuilds, 0u);
}

TEST_F(Stats, FiguresAfterInserts) {
    const ehm_stats s = stats_of(m());
    EXPECT_EQ(s.size, 500u);
    EXPECT_EQ(s.size, ehm_size(m()));
    EXPECT_EQ(s.capacity, ehm_capacity(m()));
    EXPECT_GE(s.capacity, s.size);
    EXPECT_GE(s.levels, 1u);
    EXPECT_GE(s.probe_width, 1u);
    EXPECT_GT(s.memory_bytes, 0u);
    EXPECT_GE(s.inserts, 1u);
    EXPECT_LE(s.inserts, 500u);
    EXPECT_GE(s.insert_probes_total, s.inserts);
    EXPECT_GE(s.insert_probes_max, 1u);
    EXPECT_LE(s.insert_probes_max, s.insert_probes_total);
}

TEST_F(Stats, InsertWindowCountsInsertionsWithoutRebuild) {
    MapPtr map = make_map(seeded_config(1, 1000));
    ASSERT_NE(map, nullptr);
    fill(map.get(), 400);
    const ehm_stats s = stats_of(map.get());
    ASSERT_EQ(s.rebuilds, 0u);
    EXPECT_EQ(s.inserts, 400u);
    EXPECT_GE(s.insert_probes_total, 400u);
}

TEST_F(Stats, GrowthCountsRebuilds) {
    MapPtr map = make_map(seeded_config(1, 16));
    ASSERT_NE(map, nullptr);
    const uint64_t before = stats_of(map.get()).rebuilds;
    fill(map.get(), 5000);
    EXPECT_GT(stats_of(map.get()).rebuilds, before);
}

// The window opens with the rebuild, whose placements count as insertions.
TEST_F(Stats, InsertWindowOpensWithTheRebuildsPlacements) {
    MapPtr map = make_map(seeded_config(1, 16));
    ASSERT_NE(map, nullptr);
    size_t n = 0;
    for (uint64_t rebuilds = stats_of(map.get()).rebuilds; stats_of(map.get()).rebuilds == rebuilds;
         ++n)
        ASSERT_EQ(put(map.get(), key_of(n), value_of(n)), EHM_OK);
    // The last put grew the table: the rebuild placed n - 1 entries, then
    // the put placed its own.
    EXPECT_EQ(stats_of(map.get()).inserts, n);
    ehm_clear(map.get());
    EXPECT_EQ(stats_of(map.get()).inserts, 0u) << "clear opens a new window";
}

// A clone copies its source's table, its statistics included.
TEST_F(Stats, CloneStartsFromItsSourcesCounts) {
    MapPtr map = make_map(seeded_config(2, 16));
    ASSERT_NE(map, nullptr);
    fill(map.get(), 3000);
    const ehm_stats source = stats_of(map.get());
    ASSERT_GT(source.rebuilds, 0u);
    MapPtr copy = clone_map(map.get());
    ASSERT_NE(copy, nullptr);
    const ehm_stats cloned = stats_of(copy.get());
    EXPECT_EQ(cloned.rebuilds, source.rebuilds);
    EXPECT_EQ(cloned.inserts, source.inserts);
    EXPECT_EQ(cloned.insert_probes_total, source.insert_probes_total);
    EXPECT_EQ(cloned.insert_probes_max, source.insert_probes_max);
}

TEST_F(Stats, RemoveLeavesTombstones) {
    const uint64_t before = stats_of(m()).tombstones;
    ASSERT_EQ(erase(m(), key_of(1)), EHM_OK);
    const ehm_stats after = stats_of(m());
    EXPECT_GT(after.tombstones, before);
    EXPECT_EQ(after.size, 499u);
    // A failed removal leaves no trace.
    ASSERT_EQ(erase(m(), key_of(1)), EHM_NOTFOUND);
    EXPECT_TRUE(same_stats(after, stats_of(m())));
}

TEST_F(Stats, LookupsDoNotChangeStats) {
    const ehm_stats before = stats_of(m());
    for (size_t i = 0; i < 1000; ++i) {
        (void)contains(m(), key_of(i));
        (void)get(m(), key_of(i));
        uint64_t probes = 0;
        (void)ehm_probe_count(m(), key_of(i).data(), key_of(i).size(), &probes);
    }
    (void)contents_of(m());
    (void)ehm_hash(m());
    EXPECT_TRUE(same_stats(before, stats_of(m())));
}

TEST_F(Stats, SmallerStructSizeIsInvalid) {
    for (uint32_t size : {0u, 4u, 8u, static_cast<uint32_t>(sizeof(ehm_stats) - 8),
                          static_cast<uint32_t>(sizeof(ehm_stats) - 1)}) {
        ehm_stats s;
        std::memset(&s, 0xCD, sizeof s);
        s.struct_size = size;
        ehm_stats copy = s;
        EXPECT_EQ(ehm_stats_get(m(), &s), EHM_EINVAL) << size;
        EXPECT_EQ(std::memcmp(&s, &copy, sizeof s), 0) << "written on failure, size " << size;
    }
}

TEST_F(Stats, NewerStructWithZeroTailIsFilled) {
    NewerStats n;
    std::memset(&n, 0, sizeof n);
    n.s.struct_size = sizeof n;
    ASSERT_EQ(ehm_stats_get(m(), &n.s), EHM_OK);
    EXPECT_EQ(n.s.size, 500u);
    EXPECT_EQ(n.s.capacity, ehm_capacity(m()));
    for (unsigned char c : n.tail) EXPECT_EQ(c, 0);
}

TEST_F(Stats, NewerStructWithNonZeroTailIsVersionError) {
    for (size_t pos : {size_t{0}, sizeof(NewerStats::tail) - 1}) {
        NewerStats n;
        std::memset(&n, 0, sizeof n);
        n.s.struct_size = sizeof n;
        n.tail[pos] = 1;
        NewerStats copy = n;
        EXPECT_EQ(ehm_stats_get(m(), &n.s), EHM_EVERSION) << pos;
        EXPECT_EQ(std::memcmp(&n, &copy, sizeof n), 0) << "written on failure";
    }
}

TEST_F(Stats, NullArgumentsAreInvalid) {
    ehm_stats s;
    std::memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    EXPECT_EQ(ehm_stats_get(nullptr, &s), EHM_EINVAL);
    EXPECT_EQ(s.size, 0u);
    EXPECT_EQ(ehm_stats_get(m(), nullptr), EHM_EINVAL);
}

TEST_F(Stats, FixedSizeMapMemoryIsCounted) {
    MapPtr small = make_map(fixed_size_config(8, 8));
    ASSERT_NE(small, nullptr);
    const uint64_t empty_bytes = stats_of(small.get()).memory_bytes;
    for (uint64_t i = 0; i < 10000; ++i) ASSERT_EQ(ehm_put(small.get(), &i, 8, &i, 8), EHM_OK);
    EXPECT_GT(stats_of(small.get()).memory_bytes, empty_bytes);
    EXPECT_GE(stats_of(small.get()).memory_bytes, 10000u * 16u);
}

// ---- Probe counts -----------------------------------------------------------

TEST_F(Stats, ProbeCountForPresentKeys) {
    expect_probe_counts(0, 500, EHM_OK);
}

TEST_F(Stats, ProbeCountForAbsentKeys) {
    ASSERT_NO_FATAL_FAILURE(expect_probe_counts(500, 1000, EHM_NOTFOUND));
    uint64_t probes = 0;
    EXPECT_EQ(ehm_probe_count(m(), nullptr, 0, &probes), EHM_NOTFOUND);
    EXPECT_GE(probes, 1u);
}

TEST_F(Stats, ProbeCountAgreesWithLookupAfterRemoval) {
    ASSERT_EQ(erase(m(), key_of(7)), EHM_OK);
    uint64_t probes = 0;
    EXPECT_EQ(ehm_probe_count(m(), key_of(7).data(), key_of(7).size(), &probes), EHM_NOTFOUND);
    EXPECT_GE(probes, 1u);
    probes = 0;
    ASSERT_EQ(ehm_put(m(), nullptr, 0, "e", 1), EHM_OK);
    EXPECT_EQ(ehm_probe_count(m(), nullptr, 0, &probes), EHM_OK);
    EXPECT_GE(probes, 1u);
}

TEST_F(Stats, ProbeCountIsDeterministic) {
    for (size_t i = 0; i < 600; i += 5) {
        uint64_t a = 0, b = 0;
        const std::string k = key_of(i);
        const int ra = ehm_probe_count(m(), k.data(), k.size(), &a);
        const int rb = ehm_probe_count(m(), k.data(), k.size(), &b);
        EXPECT_EQ(ra, rb);
        EXPECT_EQ(a, b);
    }
}

TEST_F(Stats, ProbeCountBadArguments) {
    uint64_t probes = 99;
    EXPECT_EQ(ehm_probe_count(nullptr, "a", 1, &probes), EHM_EINVAL);
    EXPECT_EQ(ehm_probe_count(m(), nullptr, 1, &probes), EHM_EINVAL);
    EXPECT_EQ(probes, 99u);
    EXPECT_EQ(ehm_probe_count(m(), "a", 1, nullptr), EHM_EINVAL);
}

} // namespace
