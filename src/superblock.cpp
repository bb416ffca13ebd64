#include "superblock.hpp"

namespace ehm::detail {

namespace {

// Bytes of level `level`'s words when it has its own array.
unsigned array_stride(unsigned level) {
    return level == 0 ? kHomeRecordBytes : kControlWordBytes;
}

} // namespace

unsigned __int128 MetaLayout::bytes() const {
    unsigned __int128 total = 0;
    unsigned first_own_array = 0;
    if (superblocks()) {
        total = static_cast<unsigned __int128>(shape_.level_groups(kLevelsFromHome - 1)) *
                kSuperblockBytes;
        first_own_array = kLevelsFromHome;
    }
    for (unsigned l = first_own_array; l < shape_.levels; ++l)
        total += static_cast<unsigned __int128>(shape_.level_groups(l)) * array_stride(l);
    return total;
}

ControlWords MetaLayout::level(uint8_t *meta, unsigned level) const {
    if (superblocks() && level < kLevelsFromHome) {
        // Level l's groups come 2^(2 - l) to a superblock, after the words of
        // the levels before it.
        const unsigned shift = kLevelsFromHome - 1 - level;
        return ControlWords{meta + kSuperblockOffset[level], array_stride(level),
                            kSuperblockBytes - (uint64_t{array_stride(level)} << shift), shift};
    }
    uint64_t offset = 0;
    unsigned l = 0;
    if (superblocks()) {
        offset = shape_.level_groups(kLevelsFromHome - 1) * kSuperblockBytes;
        l = kLevelsFromHome;
    }
    for (; l < level; ++l) offset += shape_.level_groups(l) * array_stride(l);
    return ControlWords{meta + offset, array_stride(level), 0, 0};
}

} // namespace ehm::detail
