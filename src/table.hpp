// The elastic table: the paper's levels, batches and three insertion cases,
// laid out for the cache, with the bookkeeping that keeps lookups short.
//
// What it stores. One allocation holds the level descriptors, every level's
// control words and every level's slots. A probe reads one group (15 slots) through its 16-byte
// control word (group.hpp). Groups of level A1 carry 48 more bytes (64 in
// all, one cache line): the level mask of the keys whose first A1 probe ("home") is that group.
// Byte s of the mask belongs to hash sub-class s; its bit l says "a key of this (home, sub-class)
// lives in level l" (bit 7 stands for every level >= 7), except that bit 0 only counts keys in A1
// beyond their home group: the home group is searched first anyway, so keys found there need no
// bit, and the masks stay sparse enough for most absent keys to be turned away at home. The table
// knows nothing of keys and values: a slot is `slot_size` opaque bytes that the caller fills, and
// key equality is the caller's functor.
//
// Insertion follows the paper. Batch B0 fills A1 to 3/4; batch B_i (i >= 1)
// inserts into A_i and A_{i+1} until A_i is 1 - delta/2 full and A_{i+1} is
// 3/4 full. Within a batch: Case 1 probes at most f(e1) groups of A_i and
// then goes to A_{i+1}; Case 2 (A_i done) goes to A_{i+1}; Case 3 (A_{i+1}
// at 3/4) stays in A_i. In a level, a key takes the first group of its probe
// sequence with an empty slot. Entries never move until a rebuild.
//
// Lookups are bounded by two invariants, kept by every placement:
//   1. a key in level l has bit l (or bit 7) set in its home group's mask
//      byte for its sub-class, unless it sits in the home group itself, so a
//      lookup searches the home group and then only the levels named there;
//   2. every group a key's sequence passed in its own level before the group
//      it took has the key's overflow bit set, so a lookup in a level stops at
//      the first group whose bit is clear.
// A removal turns the slot into a tombstone: it keeps both invariants (bits
// are never cleared), so no other key's chain breaks. Tombstones count as
// occupied for the schedule, which keeps the batch accounting exact; an
// insertion may reuse one it passed on its own lookup path, and rebuilds
// reclaim the rest.
#pragma once

#include "geometry.hpp"
#include "group.hpp"
#include "memory.hpp"
#include "probe.hpp"

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

struct SlotRef {
    unsigned level = 0;
    uint64_t group = 0;
    unsigned slot = 0;
};

// What a lookup found: pointers into the table, valid until it changes.
struct LookupResult {
    unsigned char *slot = nullptr; // the entry's slot, when found
    uint8_t *tag = nullptr;        // the entry's tag byte
    uint64_t probes = 0;           // groups whose control word the lookup read
    // Insertion lookups only: the first tombstone on the path.
    unsigned char *free_slot = nullptr;
    uint8_t *free_tag = nullptr;
    uint64_t free_probes = 0;

    bool found() const { return slot != nullptr; }
};

struct InsertStats {
    uint64_t inserts = 0;
    uint64_t probes_total = 0;
    uint64_t probes_max = 0;
    void record(uint64_t probes);
};

class Table {
public:
    static constexpr unsigned kMaskBytes = kSubclasses;
    static constexpr unsigned kMaskOffset = 16; // after the control word
    static constexpr unsigned kHomeMetaStride = kMaskOffset + kMaskBytes;
    static constexpr unsigned kMetaStride = 16;
    static constexpr unsigned kCatchAllLevel = 7;

    // Allocates an empty table; EHM_ENOMEM or EHM_ETOOBIG on failure.
    int init(Memory &memory, uint64_t groups, Delta delta, size_t slot_size);
    void release(Memory &memory);
    // A byte-for-byte copy of `src` in new memory.
    int init_copy(Memory &memory, const Table &src);
    // Forgets every entry and tombstone; keeps the memory.
    void reset();

    // The common case of a lookup, small enough to inline into the caller:
    // the key's home group in A1, read once for its tags and its mask.
    // `found`: *slot is the entry. `absent`: the mask names no level, or only
    // A1 while the home group's overflow bit is clear, so no other group can
    // hold the key. `unknown`: lookup_beyond_home decides.
    enum class Home { found, absent, unknown };
    template <class KeyEquals>
    Home search_home(uint64_t hash, const KeyEquals &key_equals, unsigned char **slot) const;

    // Starts loading the key's home group, for a lookup that will follow.
    void prefetch_home(uint64_t hash) const {
        __builtin_prefetch(home_.meta + reduce(hash, home_.groups) * kHomeMetaStride);
    }

    // Once the home group is loaded: starts loading what the lookup reads
    // next, the slot of the first tag that matches there and, when the key may
    // lie beyond the home group, the first groups of the search beyond it.
    void prefetch_after_home(uint64_t hash) const {
        const uint64_t group = reduce(hash, home_.groups);
        const uint8_t *c = home_.meta + group * kHomeMetaStride;
        const uint32_t hits = match_tag(c, tag_of(hash));
        if (hits != 0)
            __builtin_prefetch(home_.slots + (group * kGroupSlots + lowest_bit(hits)) * slot_size_);
        const unsigned mask = mask_of(c, hash);
        if (may_walk_a1(c, mask, hash)) prefetch_group(hash, 0, 1);
        if ((mask & ~1u) != 0) prefetch_group(hash, __builtin_ctz(mask & ~1u), 0);
    }

    // A lookup for an insertion also notes the first tombstone on its path.
    enum class Purpose { find, insert };
    template <Purpose purpose, class KeyEquals>
    void lookup(uint64_t hash, const KeyEquals &key_equals, LookupResult &out) const;
    // The rest of a lookup that search_home left `unknown`: the home group has
    // been searched already, so A1 resumes at the key's second group, if the
    // home group's overflow bit says a key of its class went on from there.
    template <class KeyEquals>
    unsigned char *lookup_beyond_home(uint64_t hash, const KeyEquals &key_equals) const;

    // Places a new key by the batch schedule. Precondition: !full().
    SlotRef place(uint64_t hash);
    // Turns the tombstone a lookup for `hash` found into that key's slot.
    unsigned char *reuse(const LookupResult &found, uint64_t hash);
    // Turns a found entry's slot into a tombstone.
    void erase(const LookupResult &found);

    unsigned char *slot(const SlotRef &where) const {
        const Level &l = levels_[where.level];
        return l.slots + (where.group * kGroupSlots + where.slot) * slot_size_;
    }
    // The first live slot at or after global slot index `from`; false at the end.
    bool next_live(uint64_t from, SlotRef &where, uint64_t &index) const;
    template <class Visit>
    void for_each_live(const Visit &visit) const;

    bool full() const { return occupied_ >= max_occupied_; }
    uint64_t groups() const { return shape_.groups; }
    uint64_t slots() const { return shape_.slots(); }
    uint64_t max_occupied() const { return max_occupied_; }
    uint64_t occupied() const { return occupied_; }
    uint64_t tombstones() const { return tombstones_; }
    unsigned levels_in_use() const;
    unsigned batch() const { return batch_; }
    uint64_t level_occupied(unsigned level) const { return levels_[level].occupied; }
    const Shape &shape() const { return shape_; }
    const InsertStats &insert_stats() const { return insert_stats_; }

private:
    struct Level {
        uint8_t *meta = nullptr;
        unsigned meta_stride = 0;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
        uint64_t first_slot = 0; // global index of the level's first slot
        LevelQuota quota{};
        uint64_t occupied = 0; // live entries plus tombstones
    };

    struct BlockPlan {
        size_t meta_offset = 0;
        size_t meta_bytes = 0;
        size_t slots_offset = 0;
        size_t total = 0;
    };
    static bool plan_block(const Shape &shape, size_t slot_size, BlockPlan &plan);
    void lay_out(unsigned char *block);
    const uint8_t *ctrl(unsigned level, uint64_t group) const {
        return levels_[level].meta + group * levels_[level].meta_stride;
    }
    uint8_t *ctrl(unsigned level, uint64_t group) {
        return levels_[level].meta + group * levels_[level].meta_stride;
    }
    uint8_t *mask_byte(uint64_t hash);
    // The key's byte of the level mask in its home record `c`.
    static unsigned mask_of(const uint8_t *c, uint64_t hash) {
        return c[kMaskOffset + subclass_of(hash)];
    }
    // Whether the key may lie in A1 beyond its home group: the mask names A1
    // and a key of its overflow class went on from the home group.
    static bool may_walk_a1(const uint8_t *c, unsigned mask, uint64_t hash) {
        return (mask & 1u) != 0 && (c[kOverflowByte] & overflow_bit_of(hash)) != 0;
    }
    // Starts loading the group at `position` (0 or 1) of the key's sequence in `level`.
    void prefetch_group(uint64_t hash, unsigned level, unsigned position) const {
        ProbeSequence seq = sequence(hash, level);
        if (position != 0) seq.advance();
        __builtin_prefetch(ctrl(level, seq.group()));
    }
    ProbeSequence sequence(uint64_t hash, unsigned level) const {
        return ProbeSequence(level_hash(hash, level), levels_[level].groups, shape_.odd_factor);
    }

    // What a lookup matches on, derived once from the hash.
    struct Needle {
        uint8_t tag;
        uint8_t overflow;
    };
    template <Purpose purpose, class KeyEquals>
    unsigned char *probe_group(const Level &l, uint64_t group, const Needle &needle,
                               const KeyEquals &key_equals, LookupResult &out,
                               uint64_t probes) const;
    template <Purpose purpose, class KeyEquals>
    unsigned char *search_beyond_home(uint64_t hash, const Needle &needle,
                                      const KeyEquals &key_equals, LookupResult &out,
                                      uint64_t &probes) const;
    template <Purpose purpose, class KeyEquals>
    unsigned char *search_level(unsigned level, const Needle &needle, uint64_t hash,
                                const KeyEquals &key_equals, LookupResult &out, uint64_t &probes,
                                bool first_group_searched = false) const;
    // The levels a home mask byte names, as bits; bit 7 expands to 7..top_level_.
    uint64_t named_levels(unsigned mask_byte) const {
        const uint64_t below_catch_all = (uint64_t{1} << kCatchAllLevel) - 1;
        if ((mask_byte & ~below_catch_all) == 0) return mask_byte;
        return (mask_byte & below_catch_all) |
               (((uint64_t{2} << top_level_) - 1) & ~below_catch_all); // fewer than 64 levels
    }

    void advance_batch();
    bool try_level(unsigned level, uint64_t hash, uint64_t limit, uint64_t &probes, SlotRef &where);
    SlotRef place_unlimited(unsigned level, uint64_t hash, uint64_t &probes);
    // `path` is the key's sequence in where.level from its first group.
    void commit(const SlotRef &where, uint64_t hash, ProbeSequence path, uint64_t path_length);
    unsigned level_of_slot(uint64_t index) const;

    // Level A1's descriptor fields, copied here so that search_home needs no
    // load beyond the table object itself.
    struct HomeLevel {
        uint8_t *meta = nullptr;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
    } home_;
    Shape shape_;
    Delta delta_{1};
    Level *levels_ = nullptr; // shape_.levels descriptors at the start of the block
    size_t slot_size_ = 0;
    unsigned char *block_ = nullptr;
    BlockPlan plan_;
    uint64_t max_occupied_ = 0;
    uint64_t occupied_ = 0;
    uint64_t tombstones_ = 0;
    unsigned batch_ = 0;     // 0 = B0; i >= 1 = B_i over levels i-1 and i (0-based)
    unsigned top_level_ = 0; // highest level that ever took a key since reset
    InsertStats insert_stats_;
};

// ---- lookup ---------------------------------------------------------------

template <class KeyEquals>
inline Table::Home Table::search_home(uint64_t hash, const KeyEquals &key_equals,
                                      unsigned char **slot) const {
    const uint64_t group = reduce(hash, home_.groups);
    const uint8_t *c = home_.meta + group * kHomeMetaStride;
    unsigned char *first_slot = home_.slots + group * kGroupSlots * slot_size_;
    for (uint32_t hits = match_tag(c, tag_of(hash)); hits != 0; hits &= hits - 1) {
        unsigned char *candidate = first_slot + lowest_bit(hits) * slot_size_;
        if (key_equals(candidate)) {
            *slot = candidate;
            return Home::found;
        }
    }
    const unsigned mask = mask_of(c, hash);
    if ((mask & ~1u) == 0 && !may_walk_a1(c, mask, hash)) return Home::absent;
    return Home::unknown;
}

// Looks for the key in one group (one probe) and, for an insertion, notes
// the first tombstone seen, with the probes made up to it.
template <Table::Purpose purpose, class KeyEquals>
inline unsigned char *Table::probe_group(const Level &l, uint64_t group, const Needle &needle,
                                         const KeyEquals &key_equals, LookupResult &out,
                                         uint64_t probes) const {
    uint8_t *c = l.meta + group * l.meta_stride;
    unsigned char *first_slot = l.slots + group * kGroupSlots * slot_size_;
    for (uint32_t hits = match_tag(c, needle.tag); hits != 0; hits &= hits - 1) {
        unsigned char *candidate = first_slot + lowest_bit(hits) * slot_size_;
        if (key_equals(candidate)) {
            out.tag = c + lowest_bit(hits);
            return candidate;
        }
    }
    if (purpose == Purpose::insert && out.free_tag == nullptr) {
        const uint32_t removed = match_tag(c, kTombstoneTag);
        if (removed != 0) {
            out.free_tag = c + lowest_bit(removed);
            out.free_slot = first_slot + lowest_bit(removed) * slot_size_;
            out.free_probes = probes;
        }
    }
    return nullptr;
}

// Follows the key's sequence in `level` while the groups passed carry its
// overflow bit, at most once round the level. `probes` counts every group
// read, the first included. With `first_group_searched`, the caller has
// searched the first group and found its overflow bit set.
template <Table::Purpose purpose, class KeyEquals>
inline unsigned char *Table::search_level(unsigned level, const Needle &needle, uint64_t hash,
                                          const KeyEquals &key_equals, LookupResult &out,
                                          uint64_t &probes, bool first_group_searched) const {
    const Level &l = levels_[level];
    ProbeSequence seq = sequence(hash, level);
    uint64_t seen = 1;
    if (first_group_searched) {
        if (l.groups == 1) return nullptr;
        seq.advance();
        seen = 2;
    }
    for (;; ++seen) {
        ++probes;
        unsigned char *slot = probe_group<purpose>(l, seq.group(), needle, key_equals, out, probes);
        if (slot != nullptr) return slot;
        if ((l.meta[seq.group() * l.meta_stride + kOverflowByte] & needle.overflow) == 0 ||
            seen == l.groups)
            return nullptr;
        seq.advance();
    }
}

// Searches the home group, then only the levels the key's home mask names,
// A1 (from its second group) first.
template <Table::Purpose purpose, class KeyEquals>
void Table::lookup(uint64_t hash, const KeyEquals &key_equals, LookupResult &out) const {
    const Needle needle{tag_of(hash), overflow_bit_of(hash)};
    if (purpose == Purpose::insert) out.free_tag = nullptr;
    uint64_t probes = 1;
    unsigned char *slot =
        probe_group<purpose>(levels_[0], reduce(hash, home_.groups), needle, key_equals, out, 1);
    if (slot == nullptr) slot = search_beyond_home<purpose>(hash, needle, key_equals, out, probes);
    out.slot = slot;
    out.probes = probes;
}

template <class KeyEquals>
unsigned char *Table::lookup_beyond_home(uint64_t hash, const KeyEquals &key_equals) const {
    LookupResult unused;
    uint64_t probes = 0;
    return search_beyond_home<Purpose::find>(hash, Needle{tag_of(hash), overflow_bit_of(hash)},
                                             key_equals, unused, probes);
}

// After the home group: the rest of A1 if the mask names it and the home
// group's overflow bit lets the key's class past, then each other level named.
template <Table::Purpose purpose, class KeyEquals>
unsigned char *Table::search_beyond_home(uint64_t hash, const Needle &needle,
                                         const KeyEquals &key_equals, LookupResult &out,
                                         uint64_t &probes) const {
    const uint8_t *c = home_.meta + reduce(hash, home_.groups) * kHomeMetaStride;
    const unsigned mask = mask_of(c, hash);
    uint64_t levels = named_levels(mask);
    // The next level's first group does not depend on what A1 holds: start
    // loading it now, so that its cache miss overlaps the walk in A1.
    if ((levels & ~uint64_t{1}) != 0) prefetch_group(hash, __builtin_ctzll(levels & ~1ull), 0);
    unsigned char *slot = nullptr;
    if (may_walk_a1(c, mask, hash))
        slot = search_level<purpose>(0, needle, hash, key_equals, out, probes, true);
    for (levels &= ~uint64_t{1}; levels != 0 && slot == nullptr; levels &= levels - 1) {
        const auto level = static_cast<unsigned>(__builtin_ctzll(levels));
        slot = search_level<purpose>(level, needle, hash, key_equals, out, probes);
    }
    return slot;
}

template <class Visit>
void Table::for_each_live(const Visit &visit) const {
    for (unsigned level = 0; level < shape_.levels; ++level) {
        if (levels_[level].occupied == 0) continue;
        for (uint64_t g = 0; g < levels_[level].groups; ++g) {
            for (uint32_t live = match_live(ctrl(level, g)); live != 0; live &= live - 1)
                visit(SlotRef{level, g, lowest_bit(live)});
        }
    }
}

} // namespace ehm::detail
