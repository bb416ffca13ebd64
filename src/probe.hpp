// The probe sequence of one key inside one level: h_{i,1}(x), h_{i,2}(x), ...
//
// A level of G groups is probed by double hashing over groups: a start and an
// odd step, both from the key's level hash. G is m * 2^j with an odd factor p
// of m (see geometry.hpp); a step that is odd and not a multiple of p is
// coprime to G, so the first G probes visit every group exactly once. That
// is what lets an unlimited probe (the paper's "first free slot of A_i")
// always terminate, and lets a lookup bound its walk by G.
//
// Keys that share a start still part ways at their second probe, which keeps
// the sequences close to the independent random probes the paper assumes.
// The step costs a multiply and is only computed on the first advance.
#pragma once

#include "hash.hpp"

#include <cstdint>

namespace ehm::detail {

class ProbeSequence {
public:
    ProbeSequence(uint64_t level_hash, uint64_t level_groups, unsigned odd_factor)
        : hash_(level_hash), groups_(level_groups), group_(reduce(level_hash, level_groups)),
          odd_factor_(odd_factor) {}

    uint64_t group() const { return group_; }

    void advance() {
        if (step_ == 0) step_ = coprime_step();
        group_ += step_;
        if (group_ >= groups_) group_ -= groups_;
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
    uint64_t group_;
    uint64_t step_ = 0;
    unsigned odd_factor_;
};

} // namespace ehm::detail
