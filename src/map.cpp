#include "map.hpp"

#include "errors.hpp"
#include "hash.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ehm::detail {

namespace {

void *system_alloc(void *, size_t size, size_t align) {
    if (align <= alignof(std::max_align_t)) return std::malloc(size);
    return std::aligned_alloc(align, round_up(size, align));
}
void system_free(void *, void *ptr, size_t, size_t) {
    std::free(ptr);
}

// The default allocator's ctx names its page policy; system_alloc and
// system_free ignore it. Memory recognises the variant with huge pages by
// system_alloc and the address of kHugePages (memory.hpp), neither of which a
// caller's allocator can hold.
struct PagePolicy {
    bool huge_pages;
};
constexpr PagePolicy kHugePages{true};
constexpr PagePolicy kSmallPages{false};

constexpr uint64_t kEntryKeySeed = 0x6568'6d2d'6b65'7921ull;

} // namespace

ehm_allocator Memory::system_allocator(bool huge_pages) {
    const PagePolicy &policy = huge_pages ? kHugePages : kSmallPages;
    return ehm_allocator{system_alloc, system_free, const_cast<PagePolicy *>(&policy)};
}

bool Memory::wants_huge_pages(const ehm_allocator &allocator) {
    return allocator.alloc == system_alloc && allocator.ctx == &kHugePages;
}

// ---- lifecycle --------------------------------------------------------------

// The map object itself comes from the map's allocator and is counted.
Map *Map::allocate_shell(const ehm_allocator &allocator, const Settings &settings) {
    Memory memory(allocator);
    void *raw = memory.allocate(sizeof(Map), alignof(Map));
    if (raw == nullptr) return nullptr;
    Map *map = new (raw) Map(allocator, settings);
    map->memory_ = memory;
    return map;
}

// The Memory that releases the object cannot live inside it.
void Map::free_shell(Map *map) {
    Memory memory = map->memory_;
    map->~Map();
    memory.release(map, sizeof(Map), alignof(Map));
}

int Map::create(const ehm_allocator &allocator, const Settings &settings, uint64_t capacity,
                Map **out) noexcept {
    *out = nullptr;
    uint64_t groups = groups_for_entries(capacity, settings.delta);
    if (groups == 0) return EHM_ETOOBIG;
    Map *map = allocate_shell(allocator, settings);
    if (map == nullptr) return EHM_ENOMEM;
    int status = map->table_.init(map->memory_, groups, settings.delta, settings.layout.slot_size,
                                  settings.reference_schedule);
    if (status != EHM_OK) {
        free_shell(map);
        return status;
    }
    *out = map;
    return EHM_OK;
}

void Map::destroy(Map *map) noexcept {
    if (map == nullptr) return;
    map->free_entries();
    map->table_.release(map->memory_);
    free_shell(map);
}

int Map::clone(Map **out) const noexcept {
    *out = nullptr;
    Map *copy = allocate_shell(memory_.allocator(), settings_);
    if (copy == nullptr) return EHM_ENOMEM;
    if (copy->table_.init_copy(copy->memory_, table_) != EHM_OK) {
        free_shell(copy);
        return EHM_ENOMEM;
    }
    if (copy->duplicate_nodes(*this) != EHM_OK) {
        copy->table_.release(copy->memory_);
        free_shell(copy);
        return EHM_ENOMEM;
    }
    copy->size_ = size_;
    copy->rebuilds_ = rebuilds_;
    *out = copy;
    return EHM_OK;
}

// After a byte copy of `src`'s table, gives this map nodes of its own. Until
// then its slots point at src's nodes; on failure only the duplicates made so
// far are released, and src is untouched.
int Map::duplicate_nodes(const Map &src) {
    if (settings_.layout.inline_entries) return EHM_OK;
    bool failed = false;
    table_.for_each_live([&](const SlotRef &where) {
        if (failed) return;
        Node *node = Node::in(table_.slot(where));
        void *dup = memory_.allocate(node->bytes(), kNodeAlign);
        if (dup == nullptr) {
            failed = true;
            return;
        }
        std::memcpy(dup, node, node->bytes());
        std::memcpy(table_.slot(where), &dup, sizeof dup);
    });
    if (!failed) return EHM_OK;
    table_.for_each_live([&](const SlotRef &where) {
        Node *mine = Node::in(table_.slot(where));
        if (mine != Node::in(src.table_.slot(where))) free_node(mine);
    });
    return EHM_ENOMEM;
}

// ---- entry access -----------------------------------------------------------

Blob Map::key_at(const unsigned char *slot) const {
    if (settings_.layout.inline_entries) return Blob{slot, settings_.layout.key_size};
    Node *node = Node::in(slot);
    return Blob{node->key(), node->key_len};
}

Blob Map::value_at(const unsigned char *slot) const {
    if (settings_.layout.inline_entries)
        return Blob{slot + settings_.layout.value_offset, settings_.layout.value_size};
    Node *node = Node::in(slot);
    return Blob{node->value(), node->value_len};
}

int Map::get(Blob key, Blob *value) const noexcept {
    const void *data = nullptr;
    size_t len = 0;
    const int status = ops_.get(this, key.data, key.len, &data, &len);
    if (status == EHM_OK && value != nullptr) *value = Blob{data, len};
    return status;
}

int Map::insert(Blob key, Blob value) noexcept {
    Placed placed;
    const int status = ops_.find_or_place(this, key.data, key.len, value.data, value.len, &placed);
    if (status != EHM_OK) return status;
    return placed.inserted ? EHM_OK : EHM_EXISTS;
}

int Map::upsert(Blob key, void **value, bool *inserted) noexcept {
    Placed placed;
    const int status =
        ops_.find_or_place(this, key.data, key.len, nullptr, settings_.layout.value_size, &placed);
    if (status != EHM_OK) return status;
    *value = const_cast<void *>(value_at(placed.slot).data);
    *inserted = placed.inserted;
    return EHM_OK;
}

// The old value is copied out before replace_value, which may free it.
int Map::exchange(Blob key, Blob value, void *old, size_t old_cap, size_t *old_len) noexcept {
    Placed placed;
    int status = ops_.find_or_place(this, key.data, key.len, value.data, value.len, &placed);
    if (status != EHM_OK) return status;
    if (placed.inserted) return 0;
    const Blob previous = value_at(placed.slot);
    *old_len = previous.len;
    if (previous.len > old_cap) return EHM_ERANGE;
    if (previous.len != 0) std::memmove(old, previous.data, previous.len);
    status = replace_value(placed.slot, value);
    return status != EHM_OK ? status : 1;
}

int Map::explain_key(const char *function, Blob key) const {
    const int status = check_key(key);
    if (status == EHM_OK) return status;
    return blob_failure(status, function, "key", "key_len", "key", key, settings_.layout.key_size);
}

int Map::explain_value(const char *function, Blob value) const {
    const int status = check_value(value);
    if (status == EHM_OK) return status;
    return blob_failure(status, function, "value", "value_len", "value", value,
                        settings_.layout.value_size);
}
// ---- mutation ---------------------------------------------------------------

int Map::make_node(Blob key, uint64_t hash, Blob value, void **out) {
    *out = nullptr;
    if (settings_.layout.inline_entries) return EHM_OK;
    auto *node = static_cast<Node *>(memory_.allocate(Node::bytes(key.len, value.len), kNodeAlign));
    if (node == nullptr) return EHM_ENOMEM;
    node->hash = hash;
    node->key_len = key.len;
    node->value_len = value.len;
    if (key.len != 0) std::memcpy(node->key(), key.data, key.len);
    if (value.data == nullptr)
        std::memset(node->value(), 0, value.len);
    else if (value.len != 0)
        std::memcpy(node->value(), value.data, value.len);
    *out = node;
    return EHM_OK;
}

void Map::free_node(void *node) {
    if (node != nullptr) memory_.release(node, static_cast<Node *>(node)->bytes(), kNodeAlign);
}

void Map::free_entries() {
    if (settings_.layout.inline_entries) return;
    table_.for_each_live([&](const SlotRef &where) { free_node(Node::in(table_.slot(where))); });
}

// A value of the same length is overwritten in place; otherwise the entry gets
// a new node, so an allocation failure leaves the old value untouched.
int Map::replace_value(unsigned char *slot, Blob value) {
    Blob old = value_at(slot);
    if (old.len == value.len) {
        if (value.len != 0) std::memmove(const_cast<void *>(old.data), value.data, value.len);
        return EHM_OK;
    }
    Node *node = Node::in(slot);
    void *fresh = nullptr;
    int status = make_node(Blob{node->key(), node->key_len}, node->hash, value, &fresh);
    if (status != EHM_OK) return status;
    std::memcpy(slot, &fresh, sizeof fresh);
    free_node(node);
    return EHM_OK;
}

// Before a new key is placed in a table at its limit. A rebuild moves every
// live entry and buys room for (limit - live) placements before the next one,
// so with tombstones to reclaim, a rebuild at the same size pays only while
// the live entries fill at most kReclaimShare of the limit: steady churn then
// costs at most two moves per placement (share / (1 - share)) at any steady
// size. Above that share, or without tombstones, the table grows, under churn
// until the live entries are within the share again; one growth step (at
// least half the groups again) is enough unless delta is large.
constexpr uint64_t kReclaimShareNum = 2, kReclaimShareDen = 3;

int Map::make_room() {
    if (!table_.full()) return EHM_OK;
    const uint64_t groups_now = table_.groups();
    const auto within_share = [&](uint64_t groups) {
        return (size_ + 1) * kReclaimShareDen <=
               max_occupied(groups, settings_.delta) * kReclaimShareNum;
    };
    const bool churn = table_.tombstones() != 0;
    if (churn && within_share(groups_now)) return rebuild(groups_now);
    uint64_t groups = groups_now;
    do {
        groups = grown_group_count(groups);
        if (groups > kMaxGroups) return EHM_ETOOBIG;
    } while (max_occupied(groups, settings_.delta) <= size_ || (churn && !within_share(groups)));
    return rebuild(groups);
}

// After it, `entries` entries fit without a rebuild of any kind. A table
// large enough may still hold tombstones that leave too little room for the
// entries to come (a full table rebuilds on the next new key): those are
// reclaimed now, at the same size.
int Map::reserve(uint64_t entries) noexcept {
    uint64_t groups = groups_for_entries(entries, settings_.delta);
    if (groups == 0) return EHM_ETOOBIG;
    if (groups > table_.groups()) return rebuild(groups);
    const uint64_t added = entries > size_ ? entries - size_ : 0;
    if (size_ + table_.tombstones() + added <= table_.max_occupied()) return EHM_OK;
    return rebuild(table_.groups());
}

void Map::clear() noexcept {
    free_entries();
    table_.reset();
    size_ = 0;
    ++generation_;
}

// ---- whole-map operations ---------------------------------------------------

// A cursor is the index after the entry last returned, with the low bits of
// the map's generation above it (where size_t has room: slot indices take at
// most kCursorTagShift bits). A cursor whose tag is not the map's current one
// was made before an insertion, rebuild or clear that may have moved entries
// past it or before it: reported, where it would skip or repeat entries.
namespace {
constexpr bool kCursorTagged = sizeof(size_t) >= 8;
constexpr unsigned kCursorTagShift = 54;
static_assert(kMaxGroups * kGroupSlots < (uint64_t{1} << kCursorTagShift));
constexpr uint64_t kCursorIndexMask = (uint64_t{1} << kCursorTagShift) - 1;
} // namespace

unsigned Map::cursor_tag_of(size_t cursor) noexcept {
    return kCursorTagged ? static_cast<unsigned>(static_cast<uint64_t>(cursor) >> kCursorTagShift)
                         : 0;
}

unsigned Map::cursor_tag() const noexcept {
    return static_cast<unsigned>(generation_ & (~uint64_t{0} >> kCursorTagShift));
}

int Map::next(size_t *cursor, Blob *key, Blob *value) const noexcept {
    const uint64_t raw = *cursor;
    const uint64_t from = kCursorTagged ? raw & kCursorIndexMask : raw;
    if (kCursorTagged && from != 0 && from < table_.slots() &&
        (raw >> kCursorTagShift) != cursor_tag())
        return EHM_EINVAL;
    SlotRef where;
    uint64_t index = 0;
    if (!table_.next_live(from, where, index)) return EHM_ITEROVER;
    const unsigned char *slot = table_.slot(where);
    if (key != nullptr) *key = key_at(slot);
    if (value != nullptr) *value = value_at(slot);
    uint64_t next = index + 1;
    if (kCursorTagged) next |= static_cast<uint64_t>(cursor_tag()) << kCursorTagShift;
    *cursor = static_cast<size_t>(next);
    return EHM_OK;
}

bool Map::contains_value(Blob value) const noexcept {
    bool seen = false;
    table_.for_each_live([&](const SlotRef &where) {
        if (seen) return;
        Blob v = value_at(table_.slot(where));
        seen = v.len == value.len && bytes_equal(v.data, value.data, v.len);
    });
    return seen;
}

bool Map::equals(const Map &other) const noexcept {
    if (size_ != other.size_) return false;
    bool same = true;
    table_.for_each_live([&](const SlotRef &where) {
        if (!same) return;
        const unsigned char *slot = table_.slot(where);
        Blob theirs{};
        Blob key = key_at(slot);
        Blob ours = value_at(slot);
        same = other.check_key(key) == EHM_OK && other.get(key, &theirs) == EHM_OK &&
               theirs.len == ours.len && bytes_equal(theirs.data, ours.data, ours.len);
    });
    return same;
}

// A sum of per-entry hashes under fixed seeds: independent of the map's seed,
// capacity and order, and binding each value to its key.
uint64_t Map::content_hash() const noexcept {
    uint64_t sum = 0;
    table_.for_each_live([&](const SlotRef &where) {
        const unsigned char *slot = table_.slot(where);
        Blob key = key_at(slot), value = value_at(slot);
        uint64_t k = hash_bytes(key.data, key.len, kEntryKeySeed);
        sum += mix64(hash_bytes(value.data, value.len, k) ^ k);
    });
    return mix64(sum ^ mix64(size_));
}

void Map::stats(ehm_stats &out) const noexcept {
    const InsertStats &inserts = table_.insert_stats();
    out.levels = table_.levels_in_use();
    out.size = size_;
    out.capacity = table_.slots();
    out.tombstones = table_.tombstones();
    out.memory_bytes = memory_.held();
    out.probe_width = kGroupSlots;
    out.insert_probes_total = inserts.probes_total;
    out.insert_probes_max = inserts.probes_max;
    out.inserts = inserts.inserts;
    out.rebuilds = rebuilds_;
}

} // namespace ehm::detail
