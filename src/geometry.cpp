#include "geometry.hpp"

#include <algorithm>
#include <cmath>

namespace ehm::detail {

namespace {

unsigned bit_length(uint64_t x) {
    return x == 0 ? 0 : 64 - static_cast<unsigned>(__builtin_clzll(x));
}

// Splits G = m * 2^k into (m, k) with m in 4..7, or m = G when G < 8.
void decompose(uint64_t groups, uint64_t &m, unsigned &k) {
    k = groups < 8 ? 0 : bit_length(groups) - 3;
    m = groups >> k;
}

} // namespace

Delta Delta::from_double(double delta) {
    double scaled = std::ldexp(delta, 32);
    uint64_t fixed = static_cast<uint64_t>(std::llround(scaled));
    if (fixed == 0) fixed = 1;
    if (fixed >= (uint64_t{1} << 32)) fixed = (uint64_t{1} << 32) - 1;
    return Delta{fixed};
}

uint64_t Delta::floor_times(uint64_t n) const {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(n) * fixed) >> 32);
}

// The smallest k with fixed * 2^k >= 2^32: fixed lies in [2^(b-1), 2^b) for
// b = bit_length(fixed) <= 32, so k = 33 - b.
unsigned Delta::log2_inverse() const {
    return 33 - bit_length(fixed);
}

bool Shape::representable(uint64_t groups) {
    if (groups == 0 || groups > kMaxGroups) return false;
    uint64_t m;
    unsigned k;
    decompose(groups, m, k);
    return (m << k) == groups;
}

Shape Shape::of(uint64_t groups) {
    Shape s;
    decompose(groups, s.m, s.k);
    s.groups = groups;
    s.odd_factor = static_cast<unsigned>(s.m >> __builtin_ctzll(s.m));
    s.levels = s.k + 1;
    return s;
}

uint64_t next_group_count(uint64_t groups) {
    if (groups < 8) return groups + 1;
    uint64_t m;
    unsigned k;
    decompose(groups, m, k);
    // groups may be unrepresentable; the next multiple of 2^k above it is.
    uint64_t next = (m + 1) << k;
    return next;
}

uint64_t grown_group_count(uint64_t groups) {
    const uint64_t wanted = groups + (groups + 1) / 2;
    uint64_t grown = next_group_count(groups);
    while (grown < wanted) grown = next_group_count(grown);
    return grown;
}

uint64_t max_occupied(uint64_t groups, Delta delta) {
    uint64_t slots = groups * kGroupSlots;
    return slots - delta.floor_times(slots);
}

uint64_t groups_for_entries(uint64_t entries, Delta delta) {
    uint64_t groups = 1;
    while (max_occupied(groups, delta) < entries) {
        groups = next_group_count(groups);
        if (groups > kMaxGroups) return 0;
    }
    return groups;
}

LevelQuota LevelQuota::of(uint64_t slots, Delta delta) {
    LevelQuota q;
    q.slots = slots;
    q.three_quarters = (3 * slots + 3) / 4;
    q.target = slots - delta.floor_times(slots) / 2;
    // floor(delta*s/2) == floor(floor(delta*s)/2) for the exact binary fraction.
    return q;
}

uint64_t batch_quota(const LevelQuota &a, const LevelQuota &b) {
    return a.target - a.three_quarters + b.three_quarters;
}

// ceil(log2(1/e)) is the smallest j with free * 2^j >= slots. Shifting free
// to the bit length of slots gets there or one short; no division needed on
// this per-insertion path.
uint64_t probe_limit(uint64_t free_slots, uint64_t slots, Delta delta) {
    if (free_slots == 0) return 1;
    const unsigned s = bit_length(slots), f = bit_length(free_slots);
    uint64_t log_inv_e = s > f ? s - f : 0;
    if ((free_slots << log_inv_e) < slots) ++log_inv_e;
    uint64_t log_inv_d = delta.log2_inverse();
    uint64_t limit = kProbeLimitConstant * std::min(log_inv_e * log_inv_e, log_inv_d);
    return limit == 0 ? 1 : limit;
}

} // namespace ehm::detail
