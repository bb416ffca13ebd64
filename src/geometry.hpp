// Geometry of an elastic table: how many groups, how they split into levels,
// and the integer quotas of the paper's batch schedule.
//
// What it stores. A table is G groups of kGroupSlots slots. G is always of the
// form m * 2^k with m in 4..7 (or G < 8 for tiny tables), which gives growth
// steps finer than doubling when a caller asks for an exact capacity. The
// groups split into levels A1, A2, ... as the paper prescribes: each level
// takes half of what remains, so for G = m * 2^k the levels hold
// m*2^(k-1), m*2^(k-2), ..., m, m groups (k + 1 levels; one level when k = 0).
//
// Why integers. The schedule compares slot counts against fractions of level
// sizes (3/4 full, delta/2 free). Doing that in floating point makes batch
// boundaries depend on rounding; here delta is held as a 32-bit binary
// fraction and every threshold is an exact integer computed once per level.
//
// Invariant. Level sizes sum to G; every level has at least one group; the
// odd part of m divides every level size, which the probe step must avoid.
#pragma once

#include <cstdint>

namespace ehm::detail {

inline constexpr unsigned kGroupSlots = 15;
// Far beyond any memory; keeps every size computation inside 64 bits.
inline constexpr uint64_t kMaxGroups = uint64_t{1} << 50;
// The paper's "large constant" in the probe limit f(e); see docs/design.md.
inline constexpr uint64_t kProbeLimitConstant = 4;

// delta as an exact binary fraction: delta = fixed / 2^32, 0 < fixed < 2^32.
struct Delta {
    uint64_t fixed;
    static Delta from_double(double delta);
    // floor(delta * n): slots an n-slot region keeps free.
    uint64_t floor_times(uint64_t n) const;
    // ceil(log2(1 / delta)), at least 1.
    unsigned log2_inverse() const;
};

struct Shape {
    uint64_t groups = 0;
    uint64_t m = 0;
    unsigned k = 0;
    unsigned levels = 0;     // k + 1
    unsigned odd_factor = 1; // odd part of m: every level size is a multiple of it

    static bool representable(uint64_t groups);
    static Shape of(uint64_t groups);
    uint64_t slots() const { return groups * kGroupSlots; }
    uint64_t level_groups(unsigned level) const { return level < k ? m << (k - 1 - level) : m; }
    uint64_t level_slots(unsigned level) const { return level_groups(level) * kGroupSlots; }
};

// The smallest representable group count strictly above `groups`.
uint64_t next_group_count(uint64_t groups);
// The size a full table grows to: the smallest representable group count of
// at least 1.5 x `groups` (and above it). See docs/design.md, section 7.
uint64_t grown_group_count(uint64_t groups);
// Entries a table of `groups` groups accepts before it must grow: n - floor(delta * n).
uint64_t max_occupied(uint64_t groups, Delta delta);
// The smallest representable group count that holds `entries` (0 when impossible).
uint64_t groups_for_entries(uint64_t entries, Delta delta);

// The paper's per-level thresholds, in slots.
struct LevelQuota {
    uint64_t slots;          // |A_i|
    uint64_t three_quarters; // ceil(0.75 |A_i|): the fill of A_i when its first batch ends
    uint64_t target;         // |A_i| - floor(delta |A_i| / 2): the fill when its own batch ends

    static LevelQuota of(uint64_t slots, Delta delta);
};

// Inserts in batch B_i (i >= 1, 1-based levels a = A_i, b = A_{i+1}):
// |A_i| - floor(delta|A_i|/2) - ceil(0.75|A_i|) + ceil(0.75|A_{i+1}|).
uint64_t batch_quota(const LevelQuota &a, const LevelQuota &b);

// f(e) = c * min(log2(1/e)^2, log2(1/delta)) with e = free/slots, in probes.
// log2(1/e) is rounded up to an integer; the result is at least 1.
uint64_t probe_limit(uint64_t free_slots, uint64_t slots, Delta delta);

} // namespace ehm::detail
