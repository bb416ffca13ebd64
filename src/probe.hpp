// The probe sequence of one key inside one level: h_{i,1}(x), h_{i,2}(x), ...
//
// A level of G groups is probed by double hashing over groups: a start and an
// odd step, both from the key's level hash. G is m * 2^j with an odd factor p
// of m (see geometry.hpp); a step that is odd and not a multiple of p is
// coprime to G, so G steps from the start visit every group exactly once.
// That is what lets an unlimited probe (the paper's "first free slot of A_i")
// always terminate, and lets a lookup bound its walk by the sequence's period.
//
// The first three levels start at a group fixed by the key's home group
// instead of its level hash (superblock.hpp), and A1 puts the buddy, start ^ 1,
// second: positions start, buddy, start + step, start + 2 step, ... which
// still visit every group within G + 1 positions (the buddy twice).
//
// Keys that share a start still part ways at their next probe, which keeps
// the sequences close to the independent random probes the paper assumes.
// The step costs a multiply and is only computed on the first advance.
#pragma once

#include "hash.hpp"

#include <cstdint>

namespace ehm::detail {

class ProbeSequence {
public:
    ProbeSequence(uint64_t level_hash, uint64_t level_groups, unsigned odd_factor, uint64_t start,
                  bool buddy)
        : hash_(level_hash), groups_(level_groups), cursor_(start), group_(start),
          odd_factor_(odd_factor), buddy_next_(buddy) {}

    // Positions until every group has been visited.
    static uint64_t period(uint64_t level_groups, bool buddy) { return level_groups + buddy; }

    uint64_t group() const { return group_; }

    void advance() {
        if (buddy_next_) {
            buddy_next_ = false;
            group_ = cursor_ ^ 1;
            return;
        }
        if (step_ == 0) step_ = coprime_step();
        cursor_ += step_;
        if (cursor_ >= groups_) cursor_ -= groups_;
        group_ = cursor_;
    }

private:
    uint64_t coprime_step() const {
        uint64_t step = reduce((hash_ << 32) | (hash_ >> 32), groups_) | 1;
        if (step >= groups_) return 1;
        if (shares_odd_factor(step)) step += 2;
        return step >= groups_ ? 1 : step;
    }
    // odd_factor_ is 1, 3, 5 or 7 (the odd part of m in 4..7): constant
    // divisors, which compile to multiplications instead of a division.
    bool shares_odd_factor(uint64_t step) const {
        switch (odd_factor_) {
        case 3:
            return step % 3 == 0;
        case 5:
            return step % 5 == 0;
        case 7:
            return step % 7 == 0;
        default:
            return false;
        }
    }

    uint64_t hash_;
    uint64_t groups_;
    uint64_t cursor_; // the double-hash position; group_ differs from it at the buddy
    uint64_t group_;
    uint64_t step_ = 0;
    unsigned odd_factor_;
    bool buddy_next_;
};

} // namespace ehm::detail
