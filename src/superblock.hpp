// Where control words live, and which groups a key's first probes name.
//
// Why. In the paper's layout a key outside A1 lies somewhere else in memory
// than its home group: a lookup waits for the home record, then for another
// group's control word, then for the slot, three cache misses in a row. Here
// a key's first probes in the first three levels are fixed functions of its
// home group index g in A1, and those groups' control words sit side by side,
// so that the lookups that end there (four in five, docs/design.md) wait for
// one round trip before the slot.
//
// The first probes (0-based levels: 0 is A1). With A1's groups even in number:
//   level 0, position 0: g (home);  position 1: g ^ 1 (the buddy);
//   level 1, position 0: g >> s1;   level 2, position 0: g >> s2;
// every later position follows the level's own double-hash sequence
// (probe.hpp). A table of m * 2^k groups has levels of m * 2^(k-1), ...,
// m * 2, m, m groups: each level halves the one before, except the last,
// which equals it. So s_l = min(l, k - 1) keeps g >> s_l inside level l
// for every size, down to the smallest tables.
//
// The superblock. When k >= 3 the first three levels hold 4T, 2T and T
// groups, and superblock t (kSuperblockBytes, five cache lines) is
//   bytes   0..255  the records of A1 groups 4t..4t+3 (control word and level
//                   mask, 64 bytes each, as home records always are)
//   bytes 256..287  the control words of A2 groups 2t and 2t+1
//   bytes 288..303  the control word of A3 group t
//   bytes 304..319  unused
// so home, buddy, A2's and A3's first groups of every key whose home is in
// 4t..4t+3 lie in superblock t. Smaller tables (at most 28 groups, all of
// their metadata within a few lines) keep each level's words in an array.
//
// Invariant. ControlWords::at is a bijection from a level's groups onto
// 16-byte words (64-byte records in A1) that no other group of any level
// shares; the levels' first-probe groups computed here are always in range.
#pragma once

#include "geometry.hpp"

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

inline constexpr unsigned kControlWordBytes = 16;
inline constexpr unsigned kHomeRecordBytes = 64;
inline constexpr unsigned kSuperblockBytes = 320;
// Levels whose first probe is a function of the home group: A1, A2, A3.
inline constexpr unsigned kLevelsFromHome = 3;
// Where each of those levels' words start in a superblock.
inline constexpr unsigned kSuperblockOffset[kLevelsFromHome] = {
    0, 4 * kHomeRecordBytes, 4 * kHomeRecordBytes + 2 * kControlWordBytes};

// How one level's control words are addressed: blocks of 2^shift groups,
// `stride` bytes between the groups of a block and `gap` more bytes between
// blocks (the other levels' words in the superblock). A level in its own
// array is one run of groups with no gap.
struct ControlWords {
    uint8_t *base = nullptr;
    uint64_t stride = 0;
    uint64_t gap = 0;
    unsigned block_shift = 0;

    uint8_t *at(uint64_t group) const {
        return base + group * stride + (group >> block_shift) * gap;
    }
};

// A1's records, and the words of A2's and A3's first groups beside them:
// the addresses a home lookup needs, with their constants folded in. A
// record is 64 bytes, with a gap after every fourth (the A2 and A3 words of
// the superblock) or none. Without superblocks, firsts() is A1's first
// record: a harmless address to request, never searched.
struct HomeRecords {
    uint8_t *base = nullptr;
    uint64_t gap = 0;
    uint8_t *firsts_base = nullptr;
    uint64_t firsts_stride = 0;

    HomeRecords() = default;
    HomeRecords(const ControlWords &a1, const ControlWords &a2)
        : base(a1.base), gap(a1.gap), firsts_base(a1.gap != 0 ? a2.base : a1.base),
          firsts_stride(a1.gap != 0 ? kSuperblockBytes : 0) {}
    uint8_t *at(uint64_t group) const {
        return base + group * kHomeRecordBytes + (group >> kHomeShift) * gap;
    }
    // The line of the superblock of home `group` that holds A2's first groups
    // (2t at +0, 2t+1 at +16) and A3's (+32).
    uint8_t *firsts(uint64_t group) const {
        return firsts_base + (group >> kHomeShift) * firsts_stride;
    }
    // The words of home `group`'s first groups in A2 and A3, in a superblock,
    // given `firsts` = firsts(group).
    static uint8_t *a2_first(uint8_t *firsts, uint64_t group) {
        return firsts + ((group >> 1) & 1) * kControlWordBytes;
    }
    static uint8_t *a3_first(uint8_t *firsts) {
        return firsts + (kSuperblockOffset[2] - kSuperblockOffset[1]);
    }
    static constexpr unsigned kHomeShift = kLevelsFromHome - 1;
};

// Where each level's control words start, relative to the metadata, and
// how many bytes all of them take.
class MetaLayout {
public:
    explicit MetaLayout(const Shape &shape) : shape_(shape) {}

    bool superblocks() const { return shape_.k >= kLevelsFromHome; }
    unsigned __int128 bytes() const;
    // Level `level`'s control words, with its metadata starting at `meta`.
    ControlWords level(uint8_t *meta, unsigned level) const;

    // The shift that takes a home group index to the first group of `level`
    // (levels 1 and 2; 0 for A1 itself).
    unsigned home_shift(unsigned level) const {
        if (level == 0 || shape_.k == 0) return 0;
        return level < shape_.k ? level : shape_.k - 1;
    }
    // Whether A1's position 1 is the buddy g ^ 1: A1 has an even group count.
    bool has_buddy() const { return shape_.level_groups(0) % 2 == 0; }

private:
    Shape shape_;
};

} // namespace ehm::detail
