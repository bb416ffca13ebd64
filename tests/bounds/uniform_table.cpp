#include "uniform_table.hpp"

#include "key_stream.hpp"

#include <ehm/ehm.h>

#include <new>

namespace bounds {

// The groups h_1(x), h_2(x), ... of one key: independent uniform draws.
class UniformTable::GroupSequence {
public:
    GroupSequence(uint64_t key, uint64_t seed, uint64_t groups)
        : stream_(mix64(key ^ mix64(seed))), groups_(groups) {}

    uint64_t next() {
        return static_cast<uint64_t>((static_cast<unsigned __int128>(stream_.next()) * groups_) >>
                                     64);
    }

private:
    KeyStream stream_;
    uint64_t groups_;
};

int UniformTable::init(uint64_t groups, uint64_t seed) {
    if (groups == 0) return EHM_EINVAL;
    try {
        keys_.assign(groups * kGroupSlots, 0);
        used_.assign(groups, 0);
    } catch (const std::bad_alloc &) {
        return EHM_ENOMEM;
    }
    groups_ = groups;
    seed_ = seed;
    size_ = 0;
    return EHM_OK;
}

uint64_t UniformTable::insert(uint64_t key) {
    GroupSequence sequence(key, seed_, groups_);
    for (uint64_t probes = 1;; ++probes) {
        const uint64_t g = sequence.next();
        if (used_[g] < kGroupSlots) {
            keys_[g * kGroupSlots + used_[g]++] = key;
            ++size_;
            return probes;
        }
    }
}

uint64_t UniformTable::lookup(uint64_t key, bool &found) const {
    GroupSequence sequence(key, seed_, groups_);
    for (uint64_t probes = 1;; ++probes) {
        const uint64_t g = sequence.next();
        for (unsigned s = 0; s < used_[g]; ++s) {
            if (keys_[g * kGroupSlots + s] == key) {
                found = true;
                return probes;
            }
        }
        if (used_[g] < kGroupSlots) {
            found = false;
            return probes;
        }
    }
}

} // namespace bounds
