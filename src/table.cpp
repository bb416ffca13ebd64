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
// their masks, the first three levels' in superblocks), then every slot, each
// part 64-byte aligned.
bool Table::plan_block(const Shape &shape, size_t slot_size, BlockPlan &plan) {
    const unsigned __int128 descriptors =
        static_cast<unsigned __int128>(shape.levels) * sizeof(Level);
    const unsigned __int128 meta = MetaLayout(shape).bytes();
    const unsigned __int128 slots = static_cast<unsigned __int128>(shape.slots()) * slot_size;
    if (descriptors + meta + slots + 2 * kBlockAlign > static_cast<unsigned __int128>(PTRDIFF_MAX))
        return false;
    plan.meta_offset = round_up(static_cast<size_t>(descriptors), kBlockAlign);
    plan.meta_bytes = round_up(static_cast<size_t>(meta), kBlockAlign);
    plan.slots_offset = plan.meta_offset + plan.meta_bytes;
    plan.total = plan.slots_offset + static_cast<size_t>(slots);
    return true;
}

// ---- lifecycle --------------------------------------------------------------

int Table::init(Memory &memory, uint64_t groups, Delta delta, size_t slot_size,
                bool reference_schedule) {
    if (!Shape::representable(groups)) return EHM_ETOOBIG;
    Shape shape = Shape::of(groups);
    BlockPlan plan;
    if (!plan_block(shape, slot_size, plan)) return EHM_ETOOBIG;
    auto *block = static_cast<unsigned char *>(memory.allocate(plan.total, kBlockAlign));
    if (block == nullptr) return EHM_ENOMEM;
    shape_ = shape;
    delta_ = delta;
    slot_size_ = slot_size;
    reference_schedule_ = reference_schedule;
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
    const MetaLayout meta(shape_);
    unsigned char *slots = block + plan_.slots_offset;
    uint64_t first_slot = 0;
    for (unsigned i = 0; i < shape_.levels; ++i) {
        Level &l = levels_[i];
        l.words = meta.level(block + plan_.meta_offset, i);
        l.slots = slots;
        l.groups = shape_.level_groups(i);
        l.buddy = i == 0 && meta.has_buddy();
        l.period = ProbeSequence::period(l.groups, l.buddy);
        l.first_slot = first_slot;
        l.home_shift = meta.home_shift(i);
        l.fill.quota = LevelQuota::of(shape_.level_slots(i), delta_);
        slots += shape_.level_slots(i) * slot_size_;
        first_slot += shape_.level_slots(i);
    }
    home_ = HomeLevel{HomeRecords(levels_[0].words, levels_[shape_.levels > 1 ? 1 : 0].words),
                      levels_[0].slots, levels_[0].groups};
    superblocks_ = meta.superblocks();
    for (unsigned i = 1; i < kLevelsFromHome; ++i)
        first_slots_[i - 1] = superblocks_ ? levels_[i].slots : nullptr;
}

int Table::init_copy(Memory &memory, const Table &src) {
    auto *block = static_cast<unsigned char *>(memory.allocate(src.plan_.total, kBlockAlign));
    if (block == nullptr) return EHM_ENOMEM;
    std::memcpy(block, src.block_, src.plan_.total);
    *this = src;
    lay_out(block);
    set_first_choice(decide()); // pointing into the copy's own block
    return EHM_OK;
}

void Table::release(Memory &memory) {
    memory.release(block_, plan_.total, kBlockAlign);
    block_ = nullptr;
    levels_ = nullptr;
}

void Table::reset() {
    std::memset(block_ + plan_.meta_offset, 0, plan_.meta_bytes);
    for (unsigned i = 0; i < shape_.levels; ++i) levels_[i].fill.occupied = 0;
    occupied_ = 0;
    tombstones_ = 0;
    batch_ = 0;
    top_level_ = 0;
    insert_stats_ = InsertStats{};
    set_first_choice(decide());
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
        if (levels_[level].fill.occupied == 0) continue;
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

uint64_t Table::second_a1_group(uint64_t hash) const {
    ProbeSequence seq = sequence(hash, 0);
    seq.advance();
    return seq.group();
}

unsigned Table::levels_in_use() const {
    unsigned n = 0;
    for (unsigned i = 0; i < shape_.levels; ++i) n += levels_[i].fill.occupied > 0;
    return n;
}

} // namespace ehm::detail
