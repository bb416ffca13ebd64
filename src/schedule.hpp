// The paper's batch schedule as a pure decision: the levels' occupancies in,
// where the next key goes out.
//
// Batch B0 fills A1 to 3/4; batch B_i (i >= 1) inserts into A_i and A_{i+1}
// until A_i is 1 - delta/2 full and A_{i+1} is 3/4 full. Within a batch:
// Case 1 probes at most f(e1) groups of A_i and then goes to A_{i+1}; Case 2
// (A_i done) goes to A_{i+1}; Case 3 (A_{i+1} at 3/4) stays in A_i. Once the
// schedule has run past its last batch, keys go to the last level.
//
// Why a decision also says how long it lasts. Between two decisions only the
// occupancy of the level a key went to changes. A decision therefore stays
// the schedule's answer while its first-choice level stays below
// `stable_below` and the other levels do not change: that lets the table
// place most keys with one compare and one group read (table.hpp, the fast
// placement), in exactly the slot this decision would have chosen, because
// the first group of the first-choice level is always within the probe limit
// (f >= 1).
#pragma once

#include "geometry.hpp"

#include <cstdint>

namespace ehm::detail {

struct LevelFill {
    LevelQuota quota;
    uint64_t occupied; // live entries plus tombstones
};

struct ScheduleDecision {
    unsigned batch = 0;        // 0 = B0; i >= 1 = B_i over levels i-1 and i (0-based)
    unsigned level = 0;        // first-choice level
    uint64_t probe_limit = 0;  // Case 1: groups of `level` to try before `spill`; 0 = no limit
    unsigned spill = 0;        // Case 1: where a key goes when the limit runs out
    uint64_t stable_below = 0; // the decision holds while `level` has fewer occupied slots
};

class BatchSchedule {
public:
    // `fill(i)` is level i's quota and occupancy, for i < levels; `batch` is
    // the batch of the previous decision (0 for an empty table).
    template <class Fill>
    static ScheduleDecision decide(unsigned batch, unsigned levels, const Fill &fill, Delta delta) {
        batch = current_batch(batch, levels, fill);
        ScheduleDecision d;
        d.batch = batch;
        if (batch == 0) return unlimited(d, 0, fill(0).quota.three_quarters);
        if (batch >= levels) return unlimited(d, levels - 1, fill(levels - 1).quota.slots);
        const unsigned cur = batch - 1, next = batch;
        const LevelFill &a = fill(cur), &b = fill(next);
        const bool cur_open = a.occupied < a.quota.target;                // e1 > delta/2
        const bool next_open = b.occupied < b.quota.three_quarters;       // e2 > 1/4
        if (!cur_open) return unlimited(d, next, b.quota.three_quarters); // Case 2
        if (!next_open) return unlimited(d, cur, a.quota.target);         // Case 3
        d.level = cur;                                                    // Case 1
        d.probe_limit = probe_limit(a.quota.slots - a.occupied, a.quota.slots, delta);
        d.spill = next;
        d.stable_below = a.quota.target;
        return d;
    }

private:
    // Moves on while both of the current batch's targets are met.
    template <class Fill>
    static unsigned current_batch(unsigned batch, unsigned levels, const Fill &fill) {
        for (;; ++batch) {
            if (batch == 0) {
                if (fill(0).occupied < fill(0).quota.three_quarters) return batch;
            } else {
                if (batch >= levels) return batch;
                const LevelFill &a = fill(batch - 1), &b = fill(batch);
                if (a.occupied < a.quota.target || b.occupied < b.quota.three_quarters)
                    return batch;
            }
        }
    }
    static ScheduleDecision unlimited(ScheduleDecision d, unsigned level, uint64_t stable_below) {
        d.level = level;
        d.stable_below = stable_below;
        return d;
    }
};

} // namespace ehm::detail
