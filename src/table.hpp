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
//
// Placement has two speeds. BatchSchedule (schedule.hpp) decides every
// placement; its decision also says for how long it holds. While it holds,
// place_first_choice() takes the first group of the decision's level when
// that group has an empty slot, which is the schedule's own choice, in one
// compare and one group read (87.6% of placements); everything else, and
// every placement in the reference mode the tests use, runs place().
//
// A search is given a Needle: anything with `hash`, `matches(slot)` and
// `slot_size()` (entry_paths.hpp makes one per key layout). The key's home
// group is located once per operation (HomeGroup) and passed down.
#pragma once

#include "geometry.hpp"
#include "group.hpp"
#include "hash.hpp"
#include "memory.hpp"
#include "prefetch.hpp"
#include "probe.hpp"
#include "schedule.hpp"

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

struct SlotRef {
    unsigned level = 0;
    uint64_t group = 0;
    unsigned slot = 0;
};

// A slot a search found, with its tag byte (for erase).
struct Hit {
    unsigned char *slot = nullptr;
    uint8_t *tag = nullptr;
    explicit operator bool() const { return slot != nullptr; }
};

// What a full lookup found: pointers into the table, valid until it changes.
struct LookupResult {
    Hit hit;
    uint64_t probes = 0; // groups whose control word the lookup read
    // Insertion lookups only: the first tombstone on the path.
    Hit free;
    uint64_t free_probes = 0;

    bool found() const { return hit.slot != nullptr; }
};

struct InsertStats {
    uint64_t inserts = 0;
    uint64_t probes_total = 0;
    uint64_t probes_max = 0;
    void record(uint64_t probes) {
        ++inserts;
        probes_total += probes;
        if (probes > probes_max) probes_max = probes;
    }
};

// The key's home group in A1: its record (control word and level mask, one
// cache line) and its first slot.
struct HomeGroup {
    uint8_t *record;
    unsigned char *slots;
};

class Table {
public:
    static constexpr unsigned kMaskBytes = kSubclasses;
    static constexpr unsigned kMaskOffset = 16; // after the control word
    static constexpr unsigned kHomeMetaStride = kMaskOffset + kMaskBytes;
    static constexpr unsigned kMetaStride = 16;
    static constexpr unsigned kCatchAllLevel = 7;

    // Allocates an empty table; EHM_ENOMEM or EHM_ETOOBIG on failure. With
    // `reference_schedule`, every placement runs the full schedule.
    int init(Memory &memory, uint64_t groups, Delta delta, size_t slot_size,
             bool reference_schedule = false);
    void release(Memory &memory);
    // A byte-for-byte copy of `src` in new memory.
    int init_copy(Memory &memory, const Table &src);
    // Forgets every entry and tombstone; keeps the memory.
    void reset();

    // ---- lookups ----

    HomeGroup home(uint64_t hash, size_t slot_size) const {
        const uint64_t group = reduce(hash, home_.groups);
        return HomeGroup{home_.meta + group * kHomeMetaStride,
                         home_.slots + group * kGroupSlots * slot_size};
    }
    void prefetch_home(uint64_t hash) const {
        prefetch(home_.meta + reduce(hash, home_.groups) * kHomeMetaStride);
    }

    // The common case of a lookup, small enough to inline into the caller.
    // `found`: *hit is the entry. `absent`: the mask names no level, or only
    // A1 while the home group's overflow bit is clear, so no other group can
    // hold the key. `unknown`: search_beyond_home decides.
    enum class Verdict { found, absent, unknown };
    template <class Needle>
    Verdict search_home(const HomeGroup &home, const Needle &needle, Hit &hit) const;
    // After search_home said `unknown`: when the mask names exactly one level
    // beyond A1 and no walk in A1, that level's first group, searched here
    // (inline); `unknown` again when the key may lie further on.
    template <class Needle>
    Verdict search_only_level(const HomeGroup &home, const Needle &needle, Hit &hit) const;
    // The rest of a lookup, after search_home and then search_only_level both
    // said `unknown`: A1 from its second group if the mask names it and the
    // home group's overflow bit lets the key's class past, then each other
    // level named; when the mask names one level only, from that level's
    // second group, since search_only_level searched its first.
    template <class Needle>
    Hit search_beyond_home(const HomeGroup &home, const Needle &needle) const;

    // Once the home group is loaded: starts loading the slot of its first
    // matching tag and, when the key may lie beyond it, the first group of the
    // next level named.
    template <class Needle>
    void prefetch_after_home(const HomeGroup &home, const Needle &needle) const;

    // A full lookup that counts its probes; for an insertion it also notes the
    // first tombstone on its path.
    enum class Purpose { find, insert };
    template <Purpose purpose, class Needle>
    void lookup(const Needle &needle, LookupResult &out) const;

    // ---- placement ----

    // The schedule's choice when its current decision holds and puts the key
    // in the first group it tries; nullptr otherwise. Precondition: !full().
    unsigned char *place_first_choice(uint64_t hash, size_t slot_size);
    // Starts loading the group place_first_choice would read for `hash`.
    void prefetch_first_choice(uint64_t hash) const {
        prefetch(first_choice_.meta +
                 reduce(level_hash(hash, first_choice_.level), first_choice_.groups) *
                     first_choice_.meta_stride);
    }
    // Places a new key by the full schedule. Precondition: !full().
    SlotRef place(uint64_t hash);
    // Turns the tombstone a lookup for `hash` found into that key's slot.
    unsigned char *reuse(const LookupResult &found, uint64_t hash);
    // Turns a found entry's slot into a tombstone.
    void erase(uint8_t *tag) {
        *tag = kTombstoneTag;
        ++tombstones_;
    }

    unsigned char *slot(const SlotRef &where) const {
        const Level &l = levels_[where.level];
        return l.slots + (where.group * kGroupSlots + where.slot) * slot_size_;
    }
    // The first live slot at or after global slot index `from`; false at the end.
    bool next_live(uint64_t from, SlotRef &where, uint64_t &index) const;
    template <class Visit>
    void for_each_live(const Visit &visit) const;
    // visit(first slot, live slot bits) for each group with live entries, in
    // table order.
    template <class Visit>
    void for_each_live_group(const Visit &visit) const;

    bool full() const { return occupied_ >= max_occupied_; }
    uint64_t groups() const { return shape_.groups; }
    uint64_t slots() const { return shape_.slots(); }
    uint64_t max_occupied() const { return max_occupied_; }
    uint64_t occupied() const { return occupied_; }
    uint64_t tombstones() const { return tombstones_; }
    unsigned levels_in_use() const;
    unsigned batch() const { return batch_; }
    uint64_t level_occupied(unsigned level) const { return levels_[level].fill.occupied; }
    const Shape &shape() const { return shape_; }
    const InsertStats &insert_stats() const { return insert_stats_; }
    // Every control word and level mask, for tests that compare two tables.
    const unsigned char *metadata() const { return block_ + plan_.meta_offset; }
    size_t metadata_bytes() const { return plan_.meta_bytes; }

private:
    struct Level {
        uint8_t *meta = nullptr;
        unsigned meta_stride = 0;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
        uint64_t first_slot = 0; // global index of the level's first slot
        LevelFill fill{};
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
    // The key's byte of the level mask in its home record.
    uint8_t *mask_byte(uint64_t hash) const {
        return home_.meta + reduce(hash, home_.groups) * kHomeMetaStride + kMaskOffset +
               subclass_of(hash);
    }
    static uint8_t level_bit(unsigned level) {
        return static_cast<uint8_t>(1u << (level < kCatchAllLevel ? level : kCatchAllLevel));
    }
    static unsigned mask_of(const uint8_t *record, uint64_t hash) {
        return record[kMaskOffset + subclass_of(hash)];
    }
    // Whether the key may lie in A1 beyond its home group: the mask names A1
    // and a key of its overflow class went on from the home group.
    static bool may_walk_a1(const uint8_t *record, unsigned mask, uint64_t hash) {
        return (mask & 1u) != 0 && (record[kOverflowByte] & overflow_bit_of(hash)) != 0;
    }
    // The level a mask byte names when it names exactly one level beyond A1
    // below the catch-all bit and no walk in A1; 0 otherwise.
    static unsigned only_level(const uint8_t *record, unsigned mask, uint64_t hash) {
        const unsigned beyond = mask & ~1u;
        if (beyond == 0 || (beyond & (beyond - 1)) != 0 || beyond >= (1u << kCatchAllLevel) ||
            may_walk_a1(record, mask, hash))
            return 0;
        return static_cast<unsigned>(__builtin_ctz(beyond));
    }
    ProbeSequence sequence(uint64_t hash, unsigned level) const {
        return ProbeSequence(level_hash(hash, level), levels_[level].groups, shape_.odd_factor);
    }
    uint64_t first_group(uint64_t hash, unsigned level) const {
        return reduce(level_hash(hash, level), levels_[level].groups);
    }

    template <class Needle>
    static Hit match_in_group(uint8_t *ctrl, unsigned char *first_slot, const Needle &needle);
    template <Purpose purpose, class Needle>
    Hit probe_group(const Level &l, uint64_t group, const Needle &needle, LookupResult &out,
                    uint64_t probes) const;
    template <Purpose purpose, class Needle>
    Hit search_level(unsigned level, const Needle &needle, LookupResult &out, uint64_t &probes,
                     bool first_group_searched) const;
    template <Purpose purpose, class Needle>
    Hit search_named_levels(const uint8_t *record, const Needle &needle, LookupResult &out,
                            uint64_t &probes) const;
    // The levels a home mask byte names, as bits; bit 7 expands to 7..top_level_.
    uint64_t named_levels(unsigned mask_byte) const {
        const uint64_t below_catch_all = (uint64_t{1} << kCatchAllLevel) - 1;
        if ((mask_byte & ~below_catch_all) == 0) return mask_byte;
        return (mask_byte & below_catch_all) |
               (((uint64_t{2} << top_level_) - 1) & ~below_catch_all); // fewer than 64 levels
    }

    ScheduleDecision decide() const;
    bool try_level(unsigned level, uint64_t hash, uint64_t limit, uint64_t &probes, SlotRef &where);
    SlotRef place_unlimited(unsigned level, uint64_t hash, uint64_t &probes);
    // Records a placement in `where`; `passed` are the groups the key's
    // sequence in where.level passed before it.
    void commit(const SlotRef &where, uint64_t hash, const uint64_t *passed, uint64_t passed_count);
    // Where place_first_choice looks, valid while the schedule's decision holds.
    void set_first_choice(const ScheduleDecision &decision);
    unsigned level_of_slot(uint64_t index) const;

    // Level A1's descriptor fields, copied here so that a home search needs no
    // load beyond the table object itself.
    struct HomeLevel {
        uint8_t *meta = nullptr;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
    } home_;
    // The first-choice level of the schedule's current decision, copied for
    // the same reason; stable_below 0 sends every placement to place().
    struct FirstChoice {
        uint8_t *meta = nullptr;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
        uint64_t *occupied = nullptr;
        uint64_t stable_below = 0;
        unsigned meta_stride = 0;
        unsigned level = 0;
        unsigned batch = 0;
    } first_choice_;
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
    bool reference_schedule_ = false;
    InsertStats insert_stats_;
};

// ---- lookup ---------------------------------------------------------------

template <class Needle>
[[gnu::always_inline]] inline Hit Table::match_in_group(uint8_t *ctrl, unsigned char *first_slot,
                                                        const Needle &needle) {
    for (uint32_t hits = match_tag(ctrl, tag_of(needle.hash)); hits != 0; hits &= hits - 1) {
        unsigned char *candidate = first_slot + lowest_bit(hits) * needle.slot_size();
        if (needle.matches(candidate)) return Hit{candidate, ctrl + lowest_bit(hits)};
    }
    return Hit{};
}

template <class Needle>
[[gnu::always_inline]] inline Table::Verdict
Table::search_home(const HomeGroup &home, const Needle &needle, Hit &hit) const {
    hit = match_in_group(home.record, home.slots, needle);
    if (hit) return Verdict::found;
    const unsigned mask = mask_of(home.record, needle.hash);
    if ((mask & ~1u) == 0 && !may_walk_a1(home.record, mask, needle.hash)) return Verdict::absent;
    return Verdict::unknown;
}

template <class Needle>
[[gnu::always_inline]] inline Table::Verdict
Table::search_only_level(const HomeGroup &home, const Needle &needle, Hit &hit) const {
    const unsigned level = only_level(home.record, mask_of(home.record, needle.hash), needle.hash);
    if (level == 0) return Verdict::unknown;
    const Level &l = levels_[level];
    const uint64_t group = first_group(needle.hash, level);
    uint8_t *c = l.meta + group * kMetaStride;
    hit = match_in_group(c, l.slots + group * kGroupSlots * needle.slot_size(), needle);
    if (hit) return Verdict::found;
    if ((c[kOverflowByte] & overflow_bit_of(needle.hash)) == 0 || l.groups == 1)
        return Verdict::absent;
    return Verdict::unknown;
}

template <class Needle>
void Table::prefetch_after_home(const HomeGroup &home, const Needle &needle) const {
    const uint32_t hits = match_tag(home.record, tag_of(needle.hash));
    if (hits != 0) prefetch(home.slots + lowest_bit(hits) * needle.slot_size());
    const unsigned beyond = mask_of(home.record, needle.hash) & ~1u;
    if (beyond != 0) {
        const auto level = static_cast<unsigned>(__builtin_ctz(beyond));
        if (level < shape_.levels) prefetch(ctrl(level, first_group(needle.hash, level)));
    }
}

// Looks for the key in one group (one probe) and, for an insertion, notes
// the first tombstone seen, with the probes made up to it.
template <Table::Purpose purpose, class Needle>
inline Hit Table::probe_group(const Level &l, uint64_t group, const Needle &needle,
                              LookupResult &out, uint64_t probes) const {
    uint8_t *c = l.meta + group * l.meta_stride;
    unsigned char *first_slot = l.slots + group * kGroupSlots * needle.slot_size();
    const Hit hit = match_in_group(c, first_slot, needle);
    if (hit) return hit;
    if (purpose == Purpose::insert && out.free.tag == nullptr) {
        const uint32_t removed = match_tag(c, kTombstoneTag);
        if (removed != 0) {
            out.free =
                Hit{first_slot + lowest_bit(removed) * needle.slot_size(), c + lowest_bit(removed)};
            out.free_probes = probes;
        }
    }
    return Hit{};
}

// Follows the key's sequence in `level` while the groups passed carry its
// overflow bit, at most once round the level. `probes` counts every group
// read, the first included. With `first_group_searched`, the caller has
// searched the first group and found its overflow bit set.
template <Table::Purpose purpose, class Needle>
Hit Table::search_level(unsigned level, const Needle &needle, LookupResult &out, uint64_t &probes,
                        bool first_group_searched) const {
    const Level &l = levels_[level];
    const uint8_t overflow = overflow_bit_of(needle.hash);
    ProbeSequence seq = sequence(needle.hash, level);
    uint64_t seen = 1;
    if (first_group_searched) {
        if (l.groups == 1) return Hit{};
        seq.advance();
        seen = 2;
    }
    for (;; ++seen) {
        ++probes;
        const Hit hit = probe_group<purpose>(l, seq.group(), needle, out, probes);
        if (hit) return hit;
        if ((l.meta[seq.group() * l.meta_stride + kOverflowByte] & overflow) == 0 ||
            seen == l.groups)
            return Hit{};
        seq.advance();
    }
}

// After the home group: the rest of A1 if the mask names it and the home
// group's overflow bit lets the key's class past, then each other level named.
template <Table::Purpose purpose, class Needle>
Hit Table::search_named_levels(const uint8_t *record, const Needle &needle, LookupResult &out,
                               uint64_t &probes) const {
    const unsigned mask = mask_of(record, needle.hash);
    uint64_t levels = named_levels(mask);
    Hit hit;
    if (may_walk_a1(record, mask, needle.hash)) {
        // The next level's first group does not depend on what A1 holds:
        // start loading it now, so that its cache miss overlaps the walk in A1.
        if ((levels & ~uint64_t{1}) != 0) {
            const auto next = static_cast<unsigned>(__builtin_ctzll(levels & ~uint64_t{1}));
            prefetch(ctrl(next, first_group(needle.hash, next)));
        }
        hit = search_level<purpose>(0, needle, out, probes, true);
    }
    for (levels &= ~uint64_t{1}; levels != 0 && !hit; levels &= levels - 1) {
        const auto level = static_cast<unsigned>(__builtin_ctzll(levels));
        hit = search_level<purpose>(level, needle, out, probes, false);
    }
    return hit;
}

template <class Needle>
Hit Table::search_beyond_home(const HomeGroup &home, const Needle &needle) const {
    LookupResult unused;
    uint64_t probes = 0;
    const unsigned level = only_level(home.record, mask_of(home.record, needle.hash), needle.hash);
    if (level != 0) return search_level<Purpose::find>(level, needle, unused, probes, true);
    return search_named_levels<Purpose::find>(home.record, needle, unused, probes);
}

// Searches the home group, then only the levels the key's home mask names,
// A1 (from its second group) first.
template <Table::Purpose purpose, class Needle>
void Table::lookup(const Needle &needle, LookupResult &out) const {
    if (purpose == Purpose::insert) out.free = Hit{};
    uint64_t probes = 1;
    const uint64_t group = reduce(needle.hash, home_.groups);
    Hit hit = probe_group<purpose>(levels_[0], group, needle, out, 1);
    if (!hit)
        hit =
            search_named_levels<purpose>(home_.meta + group * kHomeMetaStride, needle, out, probes);
    out.hit = hit;
    out.probes = probes;
}

// ---- placement ------------------------------------------------------------

[[gnu::always_inline]] inline unsigned char *Table::place_first_choice(uint64_t hash,
                                                                       size_t slot_size) {
    FirstChoice &f = first_choice_;
    if (*f.occupied >= f.stable_below) return nullptr;
    const uint64_t group = reduce(level_hash(hash, f.level), f.groups);
    uint8_t *c = f.meta + group * f.meta_stride;
    const uint32_t empty = match_empty(c);
    if (empty == 0) return nullptr;
    const unsigned slot = lowest_bit(empty);
    c[slot] = tag_of(hash);
    // A key in its home group needs no mask bit; A1's first choice is the home group.
    if (f.level != 0) *mask_byte(hash) |= level_bit(f.level);
    ++*f.occupied;
    ++occupied_;
    batch_ = f.batch;
    if (f.level > top_level_) top_level_ = f.level;
    insert_stats_.record(1);
    return f.slots + (group * kGroupSlots + slot) * slot_size;
}

template <class Visit>
void Table::for_each_live(const Visit &visit) const {
    for (unsigned level = 0; level < shape_.levels; ++level) {
        if (levels_[level].fill.occupied == 0) continue;
        for (uint64_t g = 0; g < levels_[level].groups; ++g) {
            for (uint32_t live = match_live(ctrl(level, g)); live != 0; live &= live - 1)
                visit(SlotRef{level, g, lowest_bit(live)});
        }
    }
}

template <class Visit>
[[gnu::always_inline]] inline void Table::for_each_live_group(const Visit &visit) const {
    for (unsigned level = 0; level < shape_.levels; ++level) {
        const Level &l = levels_[level];
        if (l.fill.occupied == 0) continue;
        const uint8_t *meta = l.meta;
        const unsigned char *slots = l.slots;
        for (uint64_t g = 0; g < l.groups;
             ++g, meta += l.meta_stride, slots += kGroupSlots * slot_size_) {
            const uint32_t live = match_live(meta);
            if (live != 0) visit(slots, live);
        }
    }
}

} // namespace ehm::detail
