// BatchSchedule alone: occupancies in, decision out. Each case of the paper's
// schedule, the batch boundaries, and how long a decision is said to hold.
#include "schedule.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace ehm::detail;

namespace {

// Levels of 960, 480, 240, 120, 120 slots at delta = 1/32.
struct Levels {
    std::vector<LevelFill> fill;
    Delta delta = Delta::from_double(1.0 / 32);
    Levels() {
        for (uint64_t slots : {960, 480, 240, 120, 120})
            fill.push_back(LevelFill{LevelQuota::of(slots, delta), 0});
    }
    ScheduleDecision decide(unsigned batch) const {
        return BatchSchedule::decide(
            batch, static_cast<unsigned>(fill.size()),
            [this](unsigned i) -> const LevelFill & { return fill[i]; }, delta);
    }
    LevelQuota q(unsigned i) const { return fill[i].quota; }
};

} // namespace

TEST(BatchSchedule, BatchZeroFillsA1UpToThreeQuarters) {
    Levels l;
    ScheduleDecision d = l.decide(0);
    EXPECT_EQ(d.batch, 0u);
    EXPECT_EQ(d.level, 0u);
    EXPECT_EQ(d.probe_limit, 0u);
    EXPECT_EQ(d.stable_below, l.q(0).three_quarters);
    l.fill[0].occupied = l.q(0).three_quarters;
    d = l.decide(0);
    EXPECT_EQ(d.batch, 1u) << "A1 at 3/4 ends B0";
}

TEST(BatchSchedule, CaseOneProbesTheCurrentLevelWithALimitThenSpills) {
    Levels l;
    l.fill[0].occupied = l.q(0).three_quarters;
    const ScheduleDecision d = l.decide(0);
    EXPECT_EQ(d.batch, 1u);
    EXPECT_EQ(d.level, 0u);
    EXPECT_EQ(d.spill, 1u);
    EXPECT_EQ(d.probe_limit, probe_limit(l.q(0).slots - l.fill[0].occupied, l.q(0).slots, l.delta));
    EXPECT_GE(d.probe_limit, 1u) << "the first group is always within the limit";
    EXPECT_EQ(d.stable_below, l.q(0).target);
}

TEST(BatchSchedule, CaseTwoGoesToTheNextLevelOnceTheCurrentIsDone) {
    Levels l;
    l.fill[0].occupied = l.q(0).target;
    l.fill[1].occupied = 10;
    const ScheduleDecision d = l.decide(1);
    EXPECT_EQ(d.batch, 1u);
    EXPECT_EQ(d.level, 1u);
    EXPECT_EQ(d.probe_limit, 0u);
    EXPECT_EQ(d.stable_below, l.q(1).three_quarters);
}

TEST(BatchSchedule, CaseThreeStaysInTheCurrentLevelOnceTheNextIsAtThreeQuarters) {
    Levels l;
    l.fill[0].occupied = l.q(0).target - 5;
    l.fill[1].occupied = l.q(1).three_quarters;
    const ScheduleDecision d = l.decide(1);
    EXPECT_EQ(d.batch, 1u);
    EXPECT_EQ(d.level, 0u);
    EXPECT_EQ(d.probe_limit, 0u);
    EXPECT_EQ(d.stable_below, l.q(0).target);
}

TEST(BatchSchedule, ABatchEndsWhenBothTargetsAreMetAndSeveralMayEndAtOnce) {
    Levels l;
    l.fill[0].occupied = l.q(0).target;
    l.fill[1].occupied = l.q(1).target;
    l.fill[2].occupied = l.q(2).three_quarters;
    const ScheduleDecision d = l.decide(1);
    EXPECT_EQ(d.batch, 3u) << "B1 and B2 both done";
    EXPECT_EQ(d.level, 2u);
    EXPECT_EQ(d.spill, 3u);
}

TEST(BatchSchedule, PastTheLastBatchKeysGoToTheLastLevel) {
    Levels l;
    for (unsigned i = 0; i < l.fill.size(); ++i) l.fill[i].occupied = l.q(i).target;
    const ScheduleDecision d = l.decide(0);
    EXPECT_EQ(d.batch, 5u);
    EXPECT_EQ(d.level, 4u);
    EXPECT_EQ(d.probe_limit, 0u);
    EXPECT_EQ(d.stable_below, l.q(4).slots);
}

TEST(BatchSchedule, ADecisionHoldsWhileItsLevelStaysBelowStableBelow) {
    // Fill each level one key at a time, as the decision directs it (taking
    // the first choice): whenever the first-choice level is below
    // stable_below, the decision made afresh is the same.
    Levels l;
    ScheduleDecision held = l.decide(0);
    for (int step = 0; step < 2000; ++step) {
        const ScheduleDecision now = l.decide(held.batch);
        if (l.fill[held.level].occupied < held.stable_below) {
            ASSERT_EQ(now.batch, held.batch) << step;
            ASSERT_EQ(now.level, held.level) << step;
            ASSERT_EQ(now.probe_limit == 0, held.probe_limit == 0) << step;
        }
        held = now;
        if (l.fill[held.level].occupied >= l.q(held.level).slots) break;
        ++l.fill[held.level].occupied;
    }
}
