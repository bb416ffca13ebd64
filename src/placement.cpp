// Placement by the paper's schedule (schedule.hpp decides, this file carries
// it out) and the bookkeeping that keeps lookups short: the tag, the overflow
// bits along the path the key took in its level, and the level bit in its
// home mask.
#include "table.hpp"

namespace ehm::detail {

namespace {
// Groups a walk remembers to set overflow bits on without recomputing its
// sequence; a longer walk (rare: the schedule keeps levels below full)
// recomputes the rest.
constexpr uint64_t kRememberedGroups = 32;
} // namespace

ScheduleDecision Table::decide() const {
    return BatchSchedule::decide(
        batch_, shape_.levels, [this](unsigned i) -> const LevelFill & { return levels_[i].fill; },
        delta_);
}

void Table::set_first_choice(const ScheduleDecision &decision) {
    Level &l = levels_[decision.level];
    first_choice_ = FirstChoice{l.words,
                                l.slots,
                                l.groups,
                                &l.fill.occupied,
                                reference_schedule_ ? 0 : decision.stable_below,
                                l.home_shift,
                                decision.level,
                                decision.batch,
                                MaskBits::of(decision.level, 0)};
}

SlotRef Table::place(uint64_t hash) {
    const ScheduleDecision decision = decide();
    batch_ = decision.batch;
    uint64_t probes = 0;
    SlotRef where;
    if (decision.probe_limit == 0 ||
        !try_level(decision.level, hash, decision.probe_limit, probes, where))
        where = place_unlimited(decision.probe_limit == 0 ? decision.level : decision.spill, hash,
                                probes);
    insert_stats_.record(probes);
    // The decision still holds for the next key unless this one went elsewhere.
    set_first_choice(where.level == decision.level ? decision : decide());
    return where;
}

// Probes at most `limit` groups of `level`; takes the first with an empty slot.
bool Table::try_level(unsigned level, uint64_t hash, uint64_t limit, uint64_t &probes,
                      SlotRef &where) {
    const Level &l = levels_[level];
    if (l.fill.occupied >= l.fill.quota.slots) return false;
    // The groups passed get the key's overflow bit once it has a slot, and
    // only then: a limited walk that fails leaves them as they were.
    uint64_t passed[kRememberedGroups];
    ProbeSequence seq = sequence(hash, level);
    const uint64_t tries = limit < l.period ? limit : l.period;
    for (uint64_t t = 0; t < tries; ++t, seq.advance()) {
        const uint32_t empty = match_empty(l.words.at(seq.group()));
        if (empty != 0) {
            probes += t + 1;
            where = SlotRef{level, seq.group(), lowest_bit(empty)};
            commit(where, hash, passed, t);
            return true;
        }
        if (t < kRememberedGroups) passed[t] = seq.group();
    }
    probes += tries;
    return false;
}

// The first empty slot of the key's sequence in `level`. A full level (only
// the last, smallest level fills up, once the schedule has run past its last
// batch) passes the key to the nearest level with room, searching upward
// first; the table as a whole is never full here.
SlotRef Table::place_unlimited(unsigned level, uint64_t hash, uint64_t &probes) {
    SlotRef where;
    for (unsigned l = level; l < shape_.levels; ++l)
        if (try_level(l, hash, levels_[l].period, probes, where)) return where;
    for (unsigned l = level; l-- > 0;)
        if (try_level(l, hash, levels_[l].period, probes, where)) return where;
    return where; // unreachable while occupied_ < slots()
}

// Records a placement: the tag, the overflow bits along the path the key took
// in its level, and the bit its level and position set in its home mask.
void Table::commit(const SlotRef &where, uint64_t hash, const uint64_t *passed,
                   uint64_t passed_count) {
    ctrl(where.level, where.group)[where.slot] = tag_of(hash);
    const uint8_t overflow = overflow_bit_of(hash);
    const uint64_t remembered = passed_count < kRememberedGroups ? passed_count : kRememberedGroups;
    for (uint64_t t = 0; t < remembered; ++t)
        ctrl(where.level, passed[t])[kOverflowByte] |= overflow;
    if (passed_count > kRememberedGroups) { // a long walk: the rest of the path again
        ProbeSequence path = sequence(hash, where.level);
        for (uint64_t t = 0; t < passed_count; ++t, path.advance())
            if (t >= kRememberedGroups) ctrl(where.level, path.group())[kOverflowByte] |= overflow;
    }
    if (const uint8_t bit = MaskBits::of(where.level, passed_count); bit != 0)
        *mask_byte(hash) |= bit;
    ++levels_[where.level].fill.occupied;
    ++occupied_;
    if (where.level > top_level_) top_level_ = where.level;
}

unsigned char *Table::reuse(const LookupResult &found, uint64_t hash) {
    *found.free.tag = tag_of(hash);
    --tombstones_;
    insert_stats_.record(found.free_probes);
    return found.free.slot;
}

} // namespace ehm::detail
