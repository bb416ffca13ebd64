#include "table.hpp"

#include <cstring>

namespace ehm::detail {

namespace {

constexpr size_t kBlockAlign = 64;

size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

} // namespace

// One allocation: the level descriptors, then every control word (A1's with
// their masks), then every slot, each part 64-byte aligned.
bool Table::plan_block(const Shape &shape, size_t slot_size, BlockPlan &plan) {
    const uint64_t home = shape.level_groups(0);
    const unsigned __int128 descriptors =
        static_cast<unsigned __int128>(shape.levels) * sizeof(Level);
    const unsigned __int128 meta =
        static_cast<unsigned __int128>(home) * kHomeMetaStride +
        static_cast<unsigned __int128>(shape.groups - home) * kMetaStride;
    const unsigned __int128 slots = static_cast<unsigned __int128>(shape.slots()) * slot_size;
    if (descriptors + meta + slots + 2 * kBlockAlign > static_cast<unsigned __int128>(PTRDIFF_MAX))
        return false;
    plan.meta_offset = round_up(static_cast<size_t>(descriptors), kBlockAlign);
    plan.meta_bytes = round_up(static_cast<size_t>(meta), kBlockAlign);
    plan.slots_offset = plan.meta_offset + plan.meta_bytes;
    plan.total = plan.slots_offset + static_cast<size_t>(slots);
    return true;
}

void InsertStats::record(uint64_t probes) {
    ++inserts;
    probes_total += probes;
    if (probes > probes_max) probes_max = probes;
}

// ---- lifecycle --------------------------------------------------------------

int Table::init(Memory &memory, uint64_t groups, Delta delta, size_t slot_size) {
    if (!Shape::representable(groups)) return EHM_ETOOBIG;
    Shape shape = Shape::of(groups);
    BlockPlan plan;
    if (!plan_block(shape, slot_size, plan)) return EHM_ETOOBIG;
    auto *block = static_cast<unsigned char *>(memory.allocate(plan.total, kBlockAlign));
    if (block == nullptr) return EHM_ENOMEM;
    shape_ = shape;
    delta_ = delta;
    slot_size_ = slot_size;
    plan_ = plan;
    max_occupied_ = detail::max_occupied(groups, delta);
    lay_out(block);
    reset();
    return EHM_OK;
}

// Points the level descriptors at their parts of `block`; occupancy is left
// as the block holds it.
void Table::lay_out(unsigned char *block) {
    block_ = block;
    levels_ = reinterpret_cast<Level *>(block);
    unsigned char *meta = block + plan_.meta_offset;
    unsigned char *slots = block + plan_.slots_offset;
    uint64_t first_slot = 0;
    for (unsigned i = 0; i < shape_.levels; ++i) {
        Level &l = levels_[i];
        l.meta = meta;
        l.meta_stride = i == 0 ? kHomeMetaStride : kMetaStride;
        l.slots = slots;
        l.groups = shape_.level_groups(i);
        l.first_slot = first_slot;
        l.quota = LevelQuota::of(shape_.level_slots(i), delta_);
        meta += l.groups * l.meta_stride;
        slots += shape_.level_slots(i) * slot_size_;
        first_slot += shape_.level_slots(i);
    }
    home_ = HomeLevel{levels_[0].meta, levels_[0].slots, levels_[0].groups};
}

int Table::init_copy(Memory &memory, const Table &src) {
    auto *block = static_cast<unsigned char *>(memory.allocate(src.plan_.total, kBlockAlign));
    if (block == nullptr) return EHM_ENOMEM;
    std::memcpy(block, src.block_, src.plan_.total);
    *this = src;
    lay_out(block);
    return EHM_OK;
}

void Table::release(Memory &memory) {
    memory.release(block_, plan_.total, kBlockAlign);
    block_ = nullptr;
    levels_ = nullptr;
}

void Table::reset() {
    std::memset(block_ + plan_.meta_offset, 0, plan_.meta_bytes);
    for (unsigned i = 0; i < shape_.levels; ++i) levels_[i].occupied = 0;
    occupied_ = 0;
    tombstones_ = 0;
    batch_ = 0;
    top_level_ = 0;
    insert_stats_ = InsertStats{};
}

// ---- insertion --------------------------------------------------------------

uint8_t *Table::mask_byte(uint64_t hash) {
    return home_.meta + reduce(hash, home_.groups) * kHomeMetaStride + kMaskOffset +
           subclass_of(hash);
}

// Moves to the next batch once both of the current batch's targets are met.
void Table::advance_batch() {
    for (;;) {
        if (batch_ == 0) {
            if (levels_[0].occupied < levels_[0].quota.three_quarters) return;
        } else {
            const unsigned cur = batch_ - 1, next = batch_;
            if (next >= shape_.levels) return;
            if (levels_[cur].occupied < levels_[cur].quota.target ||
                levels_[next].occupied < levels_[next].quota.three_quarters)
                return;
        }
        ++batch_;
    }
}

SlotRef Table::place(uint64_t hash) {
    advance_batch();
    uint64_t probes = 0;
    SlotRef where;
    if (batch_ == 0) {
        where = place_unlimited(0, hash, probes);
    } else if (batch_ >= shape_.levels) {
        where = place_unlimited(shape_.levels - 1, hash, probes);
    } else {
        const unsigned cur = batch_ - 1, next = batch_;
        const Level &a = levels_[cur];
        const bool cur_open = a.occupied < a.quota.target; // e1 > delta/2
        const bool next_open =
            levels_[next].occupied < levels_[next].quota.three_quarters; // e2 > 1/4
        if (cur_open && next_open) {                                     // Case 1
            uint64_t limit = probe_limit(a.quota.slots - a.occupied, a.quota.slots, delta_);
            if (!try_level(cur, hash, limit, probes, where))
                where = place_unlimited(next, hash, probes);
        } else if (!cur_open) { // Case 2
            where = place_unlimited(next, hash, probes);
        } else { // Case 3
            where = place_unlimited(cur, hash, probes);
        }
    }
    insert_stats_.record(probes);
    return where;
}

// Probes at most `limit` groups of `level`; takes the first with an empty slot.
bool Table::try_level(unsigned level, uint64_t hash, uint64_t limit, uint64_t &probes,
                      SlotRef &where) {
    const Level &l = levels_[level];
    if (l.occupied >= l.quota.slots) return false;
    const ProbeSequence start = sequence(hash, level);
    ProbeSequence seq = start;
    const uint64_t tries = limit < l.groups ? limit : l.groups;
    for (uint64_t t = 0; t < tries; ++t, seq.advance()) {
        const uint32_t empty = match_empty(l.meta + seq.group() * l.meta_stride);
        if (empty != 0) {
            probes += t + 1;
            where = SlotRef{level, seq.group(), lowest_bit(empty)};
            commit(where, hash, start, t);
            return true;
        }
    }
    probes += tries;
    return false;
}

// The first empty slot of the key's sequence in `level`. A full level (only
// the last, smallest level fills up, once the schedule has run past its last
// batch) passes the key to the nearest level with room, searching upward
// first; the table as a whole is never full here.
SlotRef Table::place_unlimited(unsigned level, uint64_t hash, uint64_t &probes) {
    SlotRef where;
    for (unsigned l = level; l < shape_.levels; ++l)
        if (try_level(l, hash, levels_[l].groups, probes, where)) return where;
    for (unsigned l = level; l-- > 0;)
        if (try_level(l, hash, levels_[l].groups, probes, where)) return where;
    return where; // unreachable while occupied_ < slots()
}

// Records a placement: the tag, the overflow bits along the path the key took
// in its level, and the level bit in its home mask, which a key in its home
// group (the first group of its A1 sequence) does without.
void Table::commit(const SlotRef &where, uint64_t hash, ProbeSequence path, uint64_t path_length) {
    ctrl(where.level, where.group)[where.slot] = tag_of(hash);
    const uint8_t overflow = overflow_bit_of(hash);
    for (uint64_t t = 0; t < path_length; ++t, path.advance())
        ctrl(where.level, path.group())[kOverflowByte] |= overflow;
    if (where.level != 0 || path_length != 0)
        *mask_byte(hash) |= static_cast<uint8_t>(
            1u << (where.level < kCatchAllLevel ? where.level : kCatchAllLevel));
    ++levels_[where.level].occupied;
    ++occupied_;
    if (where.level > top_level_) top_level_ = where.level;
}

unsigned char *Table::reuse(const LookupResult &found, uint64_t hash) {
    *found.free_tag = tag_of(hash);
    --tombstones_;
    insert_stats_.record(found.free_probes);
    return found.free_slot;
}

void Table::erase(const LookupResult &found) {
    *found.tag = kTombstoneTag;
    ++tombstones_;
}

// ---- iteration and statistics ---------------------------------------------

unsigned Table::level_of_slot(uint64_t index) const {
    unsigned level = 0;
    while (level + 1 < shape_.levels && index >= levels_[level + 1].first_slot) ++level;
    return level;
}

bool Table::next_live(uint64_t from, SlotRef &where, uint64_t &index) const {
    if (from >= slots()) return false;
    unsigned level = level_of_slot(from);
    uint64_t offset = from - levels_[level].first_slot;
    uint64_t group = offset / kGroupSlots;
    unsigned first = static_cast<unsigned>(offset % kGroupSlots);
    for (; level < shape_.levels; ++level, group = 0, first = 0) {
        if (levels_[level].occupied == 0) continue;
        for (; group < levels_[level].groups; ++group, first = 0) {
            uint32_t live = match_live(ctrl(level, group)) & (kSlotMask << first) & kSlotMask;
            if (live != 0) {
                where = SlotRef{level, group, lowest_bit(live)};
                index = levels_[level].first_slot + group * kGroupSlots + where.slot;
                return true;
            }
        }
    }
    return false;
}

unsigned Table::levels_in_use() const {
    unsigned n = 0;
    for (unsigned i = 0; i < shape_.levels; ++i) n += levels_[i].occupied > 0;
    return n;
}

} // namespace ehm::detail
