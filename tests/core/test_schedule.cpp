// The paper's batch schedule and its three insertion cases, observed on a bare
// table: where each key goes, when batches end, and that every key placed is
// found again by a lookup that visits only the levels its home mask names.
#include "table_fixture.hpp"

#include <gtest/gtest.h>

using namespace ehm_test;

TEST(Schedule, BatchZeroFillsA1ToThreeQuarters) {
    BareTable t(1024, 1.0 / 32);
    const uint64_t q0 = (3 * t.table().shape().level_slots(0) + 3) / 4;
    for (uint64_t i = 0; i < q0; ++i) {
        ASSERT_EQ(t.place(mix64(i)).level, 0u);
        ASSERT_EQ(t.table().batch(), 0u);
    }
    EXPECT_EQ(t.table().level_occupied(0), q0);
    t.place(mix64(q0));
    EXPECT_EQ(t.table().batch(), 1u);
}

TEST(Schedule, BatchesEndWithBothTargetsMetExactly) {
    for (double delta : {1.0 / 4, 1.0 / 32, 1.0 / 256}) {
        BareTable t(1024, delta);
        const Delta d = Delta::from_double(delta);
        std::vector<uint64_t> before;
        unsigned batch = 0;
        for (uint64_t i = 0; !t.table().full(); ++i) {
            before = t.occupancy();
            SlotRef where = t.place(mix64(i + 12345));
            for (; batch < t.table().batch(); ++batch) {
                const Shape &s = t.table().shape();
                if (batch == 0) {
                    ASSERT_EQ(before[0], LevelQuota::of(s.level_slots(0), d).three_quarters);
                } else if (batch < s.levels) {
                    ASSERT_EQ(before[batch - 1], LevelQuota::of(s.level_slots(batch - 1), d).target)
                        << "delta " << delta << " batch " << batch;
                    ASSERT_EQ(before[batch],
                              LevelQuota::of(s.level_slots(batch), d).three_quarters);
                }
            }
            const unsigned b = t.table().batch();
            if (b >= 1 && b < t.table().shape().levels) {
                ASSERT_TRUE(where.level == b - 1 || where.level == b);
            }
        }
        EXPECT_EQ(t.table().occupied(), max_occupied(1024, d));
        // All keys were placed within the O(log 1/delta) batches the paper predicts.
        EXPECT_LE(t.table().batch(), d.log2_inverse() + 3) << delta;
    }
}

TEST(Schedule, CaseOneRespectsTheProbeLimitThenSpills) {
    const double delta = 1.0 / 64;
    BareTable t(2048, delta);
    const Delta d = Delta::from_double(delta);
    uint64_t limited = 0, spilled = 0;
    for (uint64_t i = 0; !t.table().full(); ++i) {
        const std::vector<uint64_t> before = t.occupancy();
        const unsigned batch_before = t.table().batch();
        const uint64_t probes_before = t.table().insert_stats().probes_total;
        SlotRef where = t.place(mix64(i));
        const uint64_t probes = t.last_insert_probes(probes_before);
        const unsigned b = t.table().batch();
        if (b != batch_before || b == 0 || b >= t.table().shape().levels) continue;
        const Shape &s = t.table().shape();
        const LevelQuota cur = LevelQuota::of(s.level_slots(b - 1), d);
        const LevelQuota next = LevelQuota::of(s.level_slots(b), d);
        if (before[b - 1] >= cur.target || before[b] >= next.three_quarters) continue; // not Case 1
        const uint64_t limit = probe_limit(cur.slots - before[b - 1], cur.slots, d);
        if (where.level == b - 1) {
            ASSERT_LE(probes, limit);
            ++limited;
        } else {
            ASSERT_EQ(where.level, b);
            ASSERT_GT(probes, std::min<uint64_t>(limit, s.level_groups(b - 1)));
            ++spilled;
        }
    }
    EXPECT_GT(limited, 0u);
    EXPECT_GT(spilled, 0u);
}

TEST(Schedule, CaseTwoSendsKeysOnOnceTheCurrentLevelIsDone) {
    const double delta = 1.0 / 16;
    BareTable t(1024, delta);
    const Delta d = Delta::from_double(delta);
    uint64_t case2 = 0;
    for (uint64_t i = 0; !t.table().full(); ++i) {
        const std::vector<uint64_t> before = t.occupancy();
        const unsigned batch_before = t.table().batch();
        SlotRef where = t.place(mix64(i ^ 0x5555));
        const unsigned b = t.table().batch();
        if (b != batch_before || b == 0 || b >= t.table().shape().levels) continue;
        const Shape &s = t.table().shape();
        if (before[b - 1] >= LevelQuota::of(s.level_slots(b - 1), d).target) {
            ASSERT_EQ(where.level, b);
            ++case2;
        }
    }
    EXPECT_GT(case2, 0u);
}

// Keys that share their whole A1 probe sequence crowd the same A1 groups, so
// Case 1 spills them into A2 until A2 reaches 3/4 while A1 is still short of
// its target: from then on Case 3 puts them in A1 with no probe limit.
TEST(Schedule, CaseThreeTakesOverWhenTheNextLevelIsAtThreeQuarters) {
    const double delta = 1.0 / 32;
    BareTable t(64, delta);
    const Delta d = Delta::from_double(delta);
    const Shape &s = t.table().shape();
    const uint64_t q0 = LevelQuota::of(s.level_slots(0), d).three_quarters;
    std::vector<uint64_t> placed;
    for (uint64_t i = 0; i < q0; ++i) placed.push_back(mix64(i)), t.place(placed.back());
    ASSERT_EQ(t.table().batch(), 0u);

    const LevelQuota a1 = LevelQuota::of(s.level_slots(0), d),
                     a2 = LevelQuota::of(s.level_slots(1), d);
    uint64_t case3 = 0;
    for (uint64_t i = 1; t.table().batch() <= 1 && !t.table().full(); ++i) {
        const std::vector<uint64_t> before = t.occupancy();
        const uint64_t hash = (uint64_t{0x2A} << 56) | (i << 8) | 0x77; // same A1 start and step
        SlotRef where = t.place(hash);
        placed.push_back(hash);
        if (t.table().batch() == 1 && before[1] >= a2.three_quarters && before[0] < a1.target) {
            ASSERT_EQ(where.level, 0u);
            ++case3;
        }
    }
    EXPECT_GT(case3, 0u);
    for (uint64_t hash : placed) ASSERT_TRUE(t.lookup(hash).found()) << hash;
}

TEST(Lookup, FindsEveryPlacedKeyAndRejectsOthers) {
    for (double delta : {1.0 / 2, 1.0 / 8, 1.0 / 128}) {
        for (uint64_t groups : {1, 3, 7, 8, 20, 96, 1024}) {
            BareTable t(groups, delta);
            std::vector<uint64_t> placed;
            for (uint64_t i = 0; !t.table().full(); ++i)
                placed.push_back(mix64(i * 31 + groups)), t.place(placed.back());
            for (uint64_t hash : placed) {
                LookupResult r = t.lookup(hash);
                ASSERT_TRUE(r.found()) << "groups " << groups << " delta " << delta;
                ASSERT_GE(r.probes, 1u);
            }
            for (uint64_t i = 0; i < 1000; ++i) ASSERT_FALSE(t.lookup(mix64(~i)).found());
        }
    }
}
