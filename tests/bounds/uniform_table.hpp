// Uniform probing on ehm's group layout: the greedy baseline that elastic
// hashing is measured against.
//
// What. A table of G groups of 15 slots holding 8-byte keys. Each key has its
// own random sequence of groups: probe j is an independent uniform draw from
// the G groups, taken from a splitmix64 stream seeded by the key and the
// table's seed ("random probing"; with G far above 1/delta a repeated group is
// rare, so it costs what uniform probing without repeats costs). An insertion
// takes the first group of its sequence with a free slot; a lookup reads the
// same groups until it finds the key or a group with a free slot.
//
// Why groups. ehm counts one probe per group read (ehm_stats.probe_width
// slots), so the baseline counts in the same unit on the same layout.
//
// Invariant. No deletions: a group's slots fill in order and never empty, so a
// lookup may stop at the first group with a free slot, and a present key's
// lookup reads exactly the groups its insertion read.
#pragma once

#include <cstdint>
#include <vector>

namespace bounds {

class UniformTable {
public:
    static constexpr unsigned kGroupSlots = 15;

    // EHM_OK, or EHM_ENOMEM / EHM_EINVAL (no groups).
    int init(uint64_t groups, uint64_t seed);

    uint64_t slots() const { return groups_ * kGroupSlots; }
    uint64_t size() const { return size_; }

    // Places a key that is not in the table; returns the probes it made.
    // Precondition: size() < slots().
    uint64_t insert(uint64_t key);
    // The probes a lookup of `key` makes; `found` tells whether it is present.
    uint64_t lookup(uint64_t key, bool &found) const;

private:
    class GroupSequence;

    uint64_t groups_ = 0;
    uint64_t seed_ = 0;
    uint64_t size_ = 0;
    std::vector<uint64_t> keys_; // group g's keys at [g * kGroupSlots, + used_[g])
    std::vector<uint8_t> used_;
};

} // namespace bounds
