// The elastic table: the paper's levels, batches and three insertion cases,
// laid out for the cache, with the bookkeeping that keeps lookups short.
//
// What it stores. One allocation holds the level descriptors, every level's
// control words and every level's slots. A probe reads one group (15 slots)
// through its 16-byte control word (group.hpp). Groups of level A1 carry 48
// more bytes (64 in all, one cache line): the level mask of the keys whose
// first A1 probe ("home") is that group. A key's first probes in A1, A2 and
// A3 are fixed by its home group and their control words share a superblock
// (superblock.hpp). Byte s of the mask belongs to hash sub-class s; its bits
// say where keys of this (home, sub-class) lie beyond their first probes
// (MaskBits below). Keys at home or at the buddy need no bit, which keeps the
// masks sparse enough for most absent keys to be turned away at home. The
// table knows nothing of keys and values: a slot is `slot_size` opaque bytes
// that the caller fills, and key equality is the caller's functor.
//
// Insertion follows the paper. Batch B0 fills A1 to 3/4; batch B_i (i >= 1)
// inserts into A_i and A_{i+1} until A_i is 1 - delta/2 full and A_{i+1} is
// 3/4 full. Within a batch: Case 1 probes at most f(e1) groups of A_i and
// then goes to A_{i+1}; Case 2 (A_i done) goes to A_{i+1}; Case 3 (A_{i+1}
// at 3/4) stays in A_i. In a level, a key takes the first group of its probe
// sequence with an empty slot. Entries never move until a rebuild.
//
// Lookups are bounded by two invariants, kept by every placement:
//   1. a key placed at position j of its sequence in level l has
//      MaskBits::of(l, j) set in its home group's mask byte for its
//      sub-class, so a lookup searches the first probes and then only the
//      walks the mask names;
//   2. every group a key's sequence passed in its own level before the group
//      it took has the key's overflow bit set, so a lookup in a level stops at
//      the first group whose bit is clear (and searches the buddy only when
//      home's bit is set).
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
#include "superblock.hpp"

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
    uint64_t probes = 0;  // groups whose control word the lookup read
    uint64_t fetches = 0; // 1 for the first probes (one superblock), plus each group beyond
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
// cache line), its first slot and its index.
struct HomeGroup {
    uint8_t *record;
    unsigned char *slots;
    uint64_t index;
};

// The bits of a level-mask byte: where keys of one (home, sub-class) lie
// beyond their first probes. A lookup reads the byte once it has searched
// home, and searches nothing the byte does not name.
struct MaskBits {
    static constexpr uint8_t a1_beyond_home = 1; // A1 from position 1: the buddy, then a walk
    static constexpr uint8_t a2_first = 2;       // A2's first group
    static constexpr uint8_t a3_first = 4;       // A3's first group
    static constexpr uint8_t a2_walk = 8;        // A2 from position 1
    static constexpr uint8_t a3_walk = 16;       // A3 from position 1
    static constexpr uint8_t firsts = a2_first | a3_first;
    // Bits 5 and 6 stand for levels 3 and 4 (A4, A5), anywhere in them; bit
    // 7 for every level from kCatchAllLevel up.
    static constexpr unsigned kWholeLevelShift = 2; // bit = level + 2
    static constexpr unsigned kCatchAllLevel = 5;
    static constexpr uint8_t whole_levels = 0xE0;

    // The bit a key placed at `position` of its sequence in `level` sets; 0
    // at home, which a lookup always searches.
    static uint8_t of(unsigned level, uint64_t position) {
        switch (level) {
        case 0:
            return position == 0 ? 0 : a1_beyond_home;
        case 1:
            return position == 0 ? a2_first : a2_walk;
        case 2:
            return position == 0 ? a3_first : a3_walk;
        default:
            return static_cast<uint8_t>(
                1u << ((level < kCatchAllLevel ? level : kCatchAllLevel) + kWholeLevelShift));
        }
    }
    // The bit of the first group of level 1 or 2.
    static uint8_t first(unsigned level) { return of(level, 0); }
    // The bit that opens the walk of levels 0..2 beyond their first probes.
    static uint8_t walk(unsigned level) { return of(level, 2); }
    // Whether the mask names nothing but what `only` names, counting A1 out
    // when home's overflow bit says no key of the class went past it.
    static bool names_only(unsigned mask, unsigned only, bool home_passed) {
        if (!home_passed) mask &= ~unsigned{a1_beyond_home};
        return mask == only;
    }
};

class Table {
public:
    static constexpr unsigned kMaskBytes = kSubclasses;
    static constexpr unsigned kMaskOffset = kControlWordBytes; // after the control word
    static_assert(kMaskOffset + kMaskBytes == kHomeRecordBytes);

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
        return HomeGroup{home_.words.at(group), home_.slots + group * kGroupSlots * slot_size,
                         group};
    }
    void prefetch_home(uint64_t hash) const {
        prefetch(home_.words.at(reduce(hash, home_.groups)));
    }

    // The common case of a lookup, small enough to inline into the caller.
    // `found`: *hit is the entry. `absent`: the mask names nothing, or only
    // A1 while home's overflow bit for the key's class is clear, so lookup()
    // would search nothing more. `unknown`: search_first_groups decides.
    enum class Verdict { found, absent, unknown };
    template <class Needle>
    Verdict search_home(const HomeGroup &home, const Needle &needle, Hit &hit) const;
    // After search_home said `unknown`: when the first groups of A2 or A3
    // the mask names are all lookup() would search (nothing else named is
    // open), searches them here, inline, in home's superblock; `unknown`
    // when the key may lie elsewhere.
    template <class Needle>
    Verdict search_first_groups(const HomeGroup &home, const Needle &needle, Hit &hit) const;

    // The first fetch of a lookup: home; the buddy if the mask names A1
    // and home's overflow bit for the key's class is set; A2's and A3's first
    // groups if the mask names them. `found`: out.hit is the entry. `absent`: no walk the mask
    // names is open, so no other group can hold the key. `unknown`: `open`
    // says which walks lookup() takes on.
    enum class Purpose { find, insert };
    struct OpenWalks {
        unsigned mask = 0;
        bool passed[kLevelsFromHome] = {}; // the key's class went on from the level's first probes
        bool searched[kLevelsFromHome] = {true, false, false}; // its first probe was searched
    };
    template <Purpose purpose, class Needle>
    Verdict first_fetch(const HomeGroup &home, const Needle &needle, LookupResult &out,
                        OpenWalks &open) const;
    // The whole lookup, for the keys search_home leaves `unknown`.
    template <class Needle>
    Hit search_beyond_home(const Needle &needle) const;

    // Once the home group is loaded: starts loading the slot of its first
    // matching tag and, when the key may lie beyond it, A2's and A3's first
    // groups or the first group of the next level named.
    template <class Needle>
    void prefetch_after_home(const HomeGroup &home, const Needle &needle) const;

    // A full lookup that counts its probes and fetches; for an insertion it
    // also notes the first tombstone on its path: first_fetch, then each walk
    // the mask names whose way is open.
    template <Purpose purpose, class Needle>
    void lookup(const Needle &needle, LookupResult &out) const;

    // ---- placement ----

    // The schedule's choice when its current decision holds and puts the key
    // in the first group it tries; nullptr otherwise. Precondition: !full().
    unsigned char *place_first_choice(uint64_t hash, size_t slot_size);
    // Starts loading the group place_first_choice would read for `hash`.
    void prefetch_first_choice(uint64_t hash) const {
        prefetch(first_choice_.words.at(first_choice_group(hash)));
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
        ControlWords words;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
        uint64_t period = 0;     // positions of a key's sequence before it repeats
        uint64_t first_slot = 0; // global index of the level's first slot
        unsigned home_shift = 0; // levels 0..2: first group = home index >> home_shift
        bool buddy = false;      // level 0 with an even group count
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
        return levels_[level].words.at(group);
    }
    uint8_t *ctrl(unsigned level, uint64_t group) { return levels_[level].words.at(group); }
    // The key's byte of the level mask in its home record.
    uint8_t *mask_byte(uint64_t hash) const {
        return home_.words.at(reduce(hash, home_.groups)) + kMaskOffset + subclass_of(hash);
    }
    static unsigned mask_of(const uint8_t *record, uint64_t hash) {
        return record[kMaskOffset + subclass_of(hash)];
    }
    // Whether a key of the hash's overflow class went on from this group.
    static bool passed(const uint8_t *ctrl, uint64_t hash) {
        return (ctrl[kOverflowByte] & overflow_bit_of(hash)) != 0;
    }
    // Position 0 of the key's sequence in `level`, described by `l` (a Level or
    // the FirstChoice copy of one: its `groups` and `home_shift`): from the
    // key's home group in the first three levels, from its level hash beyond.
    template <class LevelFields>
    uint64_t first_group_of(uint64_t hash, unsigned level, const LevelFields &l) const {
        if (level < kLevelsFromHome) return reduce(hash, home_.groups) >> l.home_shift;
        return reduce(level_hash(hash, level), l.groups);
    }
    uint64_t first_group(uint64_t hash, unsigned level) const {
        return first_group_of(hash, level, levels_[level]);
    }
    ProbeSequence sequence(uint64_t hash, unsigned level) const {
        const Level &l = levels_[level];
        return ProbeSequence(level_hash(hash, level), l.groups, shape_.odd_factor,
                             first_group(hash, level), l.buddy);
    }
    uint64_t first_choice_group(uint64_t hash) const {
        return first_group_of(hash, first_choice_.level, first_choice_);
    }
    // Levels 1 and 2 (A2, A3) where the table has them.
    unsigned first_groups_end() const {
        return shape_.levels < kLevelsFromHome ? shape_.levels : kLevelsFromHome;
    }

    template <class Needle>
    static Hit match_in_group(uint8_t *ctrl, unsigned char *first_slot, const Needle &needle);
    template <Purpose purpose, class Needle>
    Hit probe_group(const Level &l, uint64_t group, const Needle &needle, LookupResult &out,
                    bool &passed_on) const {
        return probe_words<purpose>(l.words.at(group),
                                    l.slots + group * kGroupSlots * needle.slot_size(), needle, out,
                                    passed_on);
    }
    template <Purpose purpose, class Needle>
    static Hit probe_words(uint8_t *ctrl, unsigned char *first_slot, const Needle &needle,
                           LookupResult &out, bool &passed_on);
    // A1's position 1 where A1 has no buddy (tables of a few groups).
    uint64_t second_a1_group(uint64_t hash) const;
    static bool walks_remain(const OpenWalks &open, bool a1_walk_possible);
    template <Purpose purpose, class Needle>
    Hit walk_level(unsigned level, ProbeSequence seq, uint64_t position, const Needle &needle,
                   LookupResult &out) const;
    template <Purpose purpose, class Needle>
    Hit search_walks(const OpenWalks &open, const Needle &needle, LookupResult &out) const;
    // The levels from 3 up that a home mask byte names, as bits; bit 7
    // expands to kCatchAllLevel..top_level_.
    uint64_t whole_levels_named(unsigned mask_byte) const {
        const uint64_t named = (mask_byte & MaskBits::whole_levels) >> MaskBits::kWholeLevelShift;
        const uint64_t below_catch_all = (uint64_t{1} << MaskBits::kCatchAllLevel) - 1;
        if ((named & ~below_catch_all) == 0) return named;
        return (named & below_catch_all) |
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
        HomeRecords words;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
    } home_;
    // The first-choice level of the schedule's current decision, copied for
    // the same reason; stable_below 0 sends every placement to place().
    struct FirstChoice {
        ControlWords words;
        unsigned char *slots = nullptr;
        uint64_t groups = 0;
        uint64_t *occupied = nullptr;
        uint64_t stable_below = 0;
        unsigned home_shift = 0;
        unsigned level = 0;
        unsigned batch = 0;
        uint8_t mask_bit = 0; // MaskBits::of(level, 0)
    } first_choice_;
    // A2's and A3's slots, copied here for search_first_groups, which only
    // runs on tables with superblocks.
    unsigned char *first_slots_[kLevelsFromHome - 1] = {};
    bool superblocks_ = false;
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
    prefetch(home_.words.firsts(home.index));
    hit = match_in_group(home.record, home.slots, needle);
    if (hit) return Verdict::found;
    const unsigned mask = mask_of(home.record, needle.hash);
    if (MaskBits::names_only(mask, 0, passed(home.record, needle.hash))) return Verdict::absent;
    return Verdict::unknown;
}

template <class Needle>
[[gnu::always_inline]] inline Table::Verdict
Table::search_first_groups(const HomeGroup &home, const Needle &needle, Hit &hit) const {
    const unsigned mask = mask_of(home.record, needle.hash);
    const unsigned named = mask & MaskBits::firsts;
    if (!superblocks_ || named == 0 ||
        !MaskBits::names_only(mask, named, passed(home.record, needle.hash)))
        return Verdict::unknown;
    // In a superblock, A2's first group is home >> 1, A3's home >> 2.
    uint8_t *firsts = home_.words.firsts(home.index);
    const size_t group_bytes = kGroupSlots * needle.slot_size();
    if ((named & MaskBits::a2_first) != 0) {
        hit = match_in_group(HomeRecords::a2_first(firsts, home.index),
                             first_slots_[0] + (home.index >> 1) * group_bytes, needle);
        if (hit) return Verdict::found;
    }
    if ((named & MaskBits::a3_first) != 0)
        hit = match_in_group(HomeRecords::a3_first(firsts),
                             first_slots_[1] + (home.index >> 2) * group_bytes, needle);
    return hit ? Verdict::found : Verdict::absent;
}

template <Table::Purpose purpose, class Needle>
inline Table::Verdict Table::first_fetch(const HomeGroup &home, const Needle &needle,
                                         LookupResult &out, OpenWalks &open) const {
    out.hit = probe_words<purpose>(home.record, home.slots, needle, out, open.passed[0]);
    if (out.hit) return Verdict::found;
    open.mask = mask_of(home.record, needle.hash);
    if ((open.mask & MaskBits::a1_beyond_home) != 0 && open.passed[0]) {
        const uint64_t buddy = levels_[0].buddy ? home.index ^ 1 : second_a1_group(needle.hash);
        out.hit = probe_group<purpose>(levels_[0], buddy, needle, out, open.passed[0]);
        if (out.hit) return Verdict::found;
    }
    if ((open.mask & MaskBits::firsts) != 0) {
        for (unsigned level = 1; level < first_groups_end(); ++level) {
            if ((open.mask & MaskBits::first(level)) == 0) continue;
            const Level &l = levels_[level];
            out.hit = probe_group<purpose>(l, home.index >> l.home_shift, needle, out,
                                           open.passed[level]);
            if (out.hit) return Verdict::found;
            open.searched[level] = true;
        }
    }
    return walks_remain(open, levels_[0].period > 2) ? Verdict::unknown : Verdict::absent;
}

inline bool Table::walks_remain(const OpenWalks &open, bool a1_walk_possible) {
    const unsigned m = open.mask;
    return (m & MaskBits::whole_levels) != 0 ||
           ((m & MaskBits::a1_beyond_home) != 0 && open.passed[0] && a1_walk_possible) ||
           ((m & MaskBits::a2_walk) != 0 && (open.passed[1] || !open.searched[1])) ||
           ((m & MaskBits::a3_walk) != 0 && (open.passed[2] || !open.searched[2]));
}

template <class Needle>
Hit Table::search_beyond_home(const Needle &needle) const {
    LookupResult result;
    lookup<Purpose::find>(needle, result);
    return result.hit;
}

template <class Needle>
void Table::prefetch_after_home(const HomeGroup &home, const Needle &needle) const {
    const uint32_t hits = match_tag(home.record, tag_of(needle.hash));
    if (hits != 0) prefetch(home.slots + lowest_bit(hits) * needle.slot_size());
    const unsigned mask = mask_of(home.record, needle.hash);
    if ((mask & MaskBits::firsts) != 0 && shape_.levels > 1) {
        prefetch(levels_[1].words.at(home.index >> levels_[1].home_shift));
    } else if (const uint64_t named = whole_levels_named(mask); named != 0) {
        const auto level = static_cast<unsigned>(__builtin_ctzll(named));
        if (level < shape_.levels) prefetch(ctrl(level, first_group(needle.hash, level)));
    }
}

// Looks for the key in one group (one probe) and, for an insertion, notes
// the first tombstone seen, with the probes made up to it. `passed_on`: a key
// of the needle's overflow class went on from this group.
template <Table::Purpose purpose, class Needle>
[[gnu::always_inline]] inline Hit Table::probe_words(uint8_t *ctrl, unsigned char *first_slot,
                                                     const Needle &needle, LookupResult &out,
                                                     bool &passed_on) {
    ++out.probes;
    const Hit hit = match_in_group(ctrl, first_slot, needle);
    if (hit) return hit;
    if (purpose == Purpose::insert && out.free.tag == nullptr) {
        const uint32_t removed = match_tag(ctrl, kTombstoneTag);
        if (removed != 0) {
            out.free = Hit{first_slot + lowest_bit(removed) * needle.slot_size(),
                           ctrl + lowest_bit(removed)};
            out.free_probes = out.probes;
        }
    }
    passed_on = passed(ctrl, needle.hash);
    return Hit{};
}

// Follows the key's sequence in `level` from `position` (where `seq`
// stands), while the groups passed carry its overflow bit, at most once round
// the level. Precondition: the groups before `position` carry it. Every group
// read here is a fetch of its own.
template <Table::Purpose purpose, class Needle>
Hit Table::walk_level(unsigned level, ProbeSequence seq, uint64_t position, const Needle &needle,
                      LookupResult &out) const {
    const Level &l = levels_[level];
    for (; position < l.period; ++position, seq.advance()) {
        ++out.fetches;
        bool passed_on = false;
        const Hit hit = probe_group<purpose>(l, seq.group(), needle, out, passed_on);
        if (hit || !passed_on) return hit;
    }
    return Hit{};
}

// Beyond the first fetch: each walk the mask names whose way is open.
template <Table::Purpose purpose, class Needle>
Hit Table::search_walks(const OpenWalks &open, const Needle &needle, LookupResult &out) const {
    Hit hit;
    const uint64_t whole_levels = whole_levels_named(open.mask);
    if (whole_levels != 0) {
        // Its first group does not depend on the walks before it: start
        // loading it now, so that its cache miss overlaps them.
        const auto next = static_cast<unsigned>(__builtin_ctzll(whole_levels));
        prefetch(ctrl(next, first_group(needle.hash, next)));
    }
    if ((open.mask & MaskBits::a1_beyond_home) != 0 && open.passed[0] && levels_[0].period > 2) {
        ProbeSequence seq = sequence(needle.hash, 0);
        seq.advance();
        seq.advance();
        hit = walk_level<purpose>(0, seq, 2, needle, out);
    }
    for (unsigned level = 1; level < first_groups_end() && !hit; ++level) {
        if ((open.mask & MaskBits::walk(level)) == 0) continue;
        ProbeSequence seq = sequence(needle.hash, level);
        if (open.searched[level]) {
            if (!open.passed[level]) continue;
            seq.advance();
            hit = walk_level<purpose>(level, seq, 1, needle, out);
        } else {
            hit = walk_level<purpose>(level, seq, 0, needle, out);
        }
    }
    for (uint64_t named = whole_levels; named != 0 && !hit; named &= named - 1) {
        const auto level = static_cast<unsigned>(__builtin_ctzll(named));
        hit = walk_level<purpose>(level, sequence(needle.hash, level), 0, needle, out);
    }
    return hit;
}

template <Table::Purpose purpose, class Needle>
void Table::lookup(const Needle &needle, LookupResult &out) const {
    if (purpose == Purpose::insert) out.free = Hit{};
    out.probes = 0;
    out.fetches = 1;
    OpenWalks open;
    if (first_fetch<purpose>(home(needle.hash, needle.slot_size()), needle, out, open) ==
        Verdict::unknown)
        out.hit = search_walks<purpose>(open, needle, out);
}

// ---- placement ------------------------------------------------------------

[[gnu::always_inline]] inline unsigned char *Table::place_first_choice(uint64_t hash,
                                                                       size_t slot_size) {
    FirstChoice &f = first_choice_;
    if (*f.occupied >= f.stable_below) return nullptr;
    const uint64_t group = first_choice_group(hash);
    uint8_t *c = f.words.at(group);
    const uint32_t empty = match_empty(c);
    if (empty == 0) return nullptr;
    const unsigned slot = lowest_bit(empty);
    c[slot] = tag_of(hash);
    if (f.mask_bit != 0) *mask_byte(hash) |= f.mask_bit;
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
        const unsigned char *slots = l.slots;
        for (uint64_t g = 0; g < l.groups; ++g, slots += kGroupSlots * slot_size_) {
            const uint32_t live = match_live(l.words.at(g));
            if (live != 0) visit(slots, live);
        }
    }
}

} // namespace ehm::detail
