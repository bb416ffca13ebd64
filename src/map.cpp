#include "map.hpp"

#include "hash.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ehm::detail {

namespace {

// Out-of-line entry: header, key, padding to 8, value.
struct Node {
    uint64_t hash;
    size_t key_len;
    size_t value_len;

    static size_t value_offset(size_t key_len) {
        return sizeof(Node) + ((key_len + 7) & ~size_t{7});
    }
    static size_t bytes(size_t key_len, size_t value_len) {
        return value_offset(key_len) + value_len;
    }
    size_t bytes() const { return bytes(key_len, value_len); }
    unsigned char *key() { return reinterpret_cast<unsigned char *>(this) + sizeof(Node); }
    unsigned char *value() {
        return reinterpret_cast<unsigned char *>(this) + value_offset(key_len);
    }
};
constexpr size_t kNodeAlign = alignof(Node);

Node *node_in(const unsigned char *slot) {
    Node *node;
    std::memcpy(&node, slot, sizeof node);
    return node;
}

// Natural alignment of an n-byte field, capped at 8.
size_t field_align(size_t n) {
    size_t a = 1;
    while (a < 8 && n % (a * 2) == 0) a *= 2;
    return a;
}

size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

bool bytes_equal(const void *a, const void *b, size_t n) {
    switch (n) { // the common fixed sizes compile to one compare
    case 4: {
        uint32_t x, y;
        std::memcpy(&x, a, 4);
        std::memcpy(&y, b, 4);
        return x == y;
    }
    case 8: {
        uint64_t x, y;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        return x == y;
    }
    default:
        return n == 0 || std::memcmp(a, b, n) == 0;
    }
}

void *system_alloc(void *, size_t size, size_t align) {
    if (align <= alignof(std::max_align_t)) return std::malloc(size);
    return std::aligned_alloc(align, round_up(size, align));
}
void system_free(void *, void *ptr, size_t, size_t) {
    std::free(ptr);
}

constexpr uint64_t kEntryKeySeed = 0x6568'6d2d'6b65'7921ull;

} // namespace

ehm_allocator Memory::system_allocator() {
    return ehm_allocator{system_alloc, system_free, nullptr};
}

EntryLayout EntryLayout::of(uint32_t key_size, uint32_t value_size) {
    EntryLayout l;
    l.key_size = key_size;
    l.value_size = value_size;
    if (key_size == 0 || value_size == 0) return l;
    size_t value_align = field_align(value_size);
    size_t value_offset = round_up(key_size, value_align);
    size_t entry = value_offset + value_size;
    if (entry > kMaxInlineEntry) return l;
    l.inline_entries = true;
    l.keys = key_size == 4    ? KeyKind::inline4
             : key_size == 8  ? KeyKind::inline8
             : key_size == 16 ? KeyKind::inline16
                              : KeyKind::inline_any;
    l.value_offset = value_offset;
    l.slot_size = round_up(entry, std::max(field_align(key_size), value_align));
    return l;
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
    int status = map->table_.init(map->memory_, groups, settings.delta, settings.layout.slot_size);
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
        Node *node = node_in(table_.slot(where));
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
        Node *mine = node_in(table_.slot(where));
        if (mine != node_in(src.table_.slot(where))) free_node(mine);
    });
    return EHM_ENOMEM;
}

// ---- entry access -----------------------------------------------------------

namespace {

// Key handling per layout, so that a lookup's hash and key compare compile
// for the key length at hand: XXH3 of a constant length is a handful of
// instructions, of a runtime length a chain of branches first.
template <size_t N>
struct FixedInlineKeys {
    uint64_t seed;
    uint64_t hash(Blob key) const { return hash_bytes(key.data, N, seed); }
    uint64_t stored_hash(const unsigned char *slot) const { return hash_bytes(slot, N, seed); }
    bool equals(const unsigned char *slot, Blob key, uint64_t) const {
        return std::memcmp(slot, key.data, N) == 0;
    }
};

struct InlineKeys {
    uint64_t seed;
    size_t size;
    uint64_t hash(Blob key) const { return hash_bytes(key.data, size, seed); }
    uint64_t stored_hash(const unsigned char *slot) const { return hash_bytes(slot, size, seed); }
    bool equals(const unsigned char *slot, Blob key, uint64_t) const {
        return bytes_equal(slot, key.data, size);
    }
};

// The stored hash turns most false tag matches into one integer compare.
struct NodeKeys {
    uint64_t seed;
    uint64_t hash(Blob key) const { return hash_bytes(key.data, key.len, seed); }
    uint64_t stored_hash(const unsigned char *slot) const { return node_in(slot)->hash; }
    bool equals(const unsigned char *slot, Blob key, uint64_t hash) const {
        Node *node = node_in(slot);
        return node->hash == hash && node->key_len == key.len &&
               bytes_equal(node->key(), key.data, key.len);
    }
};

} // namespace

// Calls visit(keys) with the key handling of this map's layout.
template <class Visit>
inline auto Map::with_keys(const Visit &visit) const {
    const uint64_t seed = settings_.seed;
    switch (settings_.layout.keys) {
    case KeyKind::inline4:
        return visit(FixedInlineKeys<4>{seed});
    case KeyKind::inline8:
        return visit(FixedInlineKeys<8>{seed});
    case KeyKind::inline16:
        return visit(FixedInlineKeys<16>{seed});
    case KeyKind::inline_any:
        return visit(InlineKeys{seed, settings_.layout.key_size});
    case KeyKind::node:
        break;
    }
    return visit(NodeKeys{seed});
}

template <Table::Purpose purpose, class Keys>
void Map::find(const Keys &keys, Blob key, uint64_t hash, LookupResult &out) const {
    table_.lookup<purpose>(
        hash, [&](const unsigned char *slot) { return keys.equals(slot, key, hash); }, out);
}

// The home group inline; every other group out of line.
template <class Keys>
inline __attribute__((always_inline)) unsigned char *Map::find_slot(const Keys &keys, Blob key,
                                                                    uint64_t hash) const {
    unsigned char *slot = nullptr;
    switch (table_.search_home(
        hash, [&](const unsigned char *s) { return keys.equals(s, key, hash); }, &slot)) {
    case Table::Home::found:
        return slot;
    case Table::Home::absent:
        return nullptr;
    case Table::Home::unknown:
        break;
    }
    return [&]() __attribute__((noinline)) {
        return table_.lookup_beyond_home(
            hash, [&](const unsigned char *s) { return keys.equals(s, key, hash); });
    }
    ();
}

Blob Map::key_at(const unsigned char *slot) const {
    if (settings_.layout.inline_entries) return Blob{slot, settings_.layout.key_size};
    Node *node = node_in(slot);
    return Blob{node->key(), node->key_len};
}

Blob Map::value_at(const unsigned char *slot) const {
    if (settings_.layout.inline_entries)
        return Blob{slot + settings_.layout.value_offset, settings_.layout.value_size};
    Node *node = node_in(slot);
    return Blob{node->value(), node->value_len};
}

int Map::get(Blob key, Blob *value) const noexcept {
    return with_keys([&](const auto &keys) { return get_as(keys, key, value); });
}

// A function of its own per key layout: each saves only the registers its own
// path needs, and get() reaches it with a tail call.
template <class Keys>
int Map::get_as(const Keys &keys, Blob key, Blob *value) const {
    const unsigned char *slot = find_slot(keys, key, keys.hash(key));
    if (slot == nullptr) return EHM_NOTFOUND;
    if (value != nullptr) *value = value_at(slot);
    return EHM_OK;
}

// Keys whose home groups are loaded at once: enough to cover the memory
// latency, few enough that their hashes stay in registers and L1.
constexpr size_t kLookupBatch = 16;

void Map::get_many(size_t count, const Blob *keys, Blob *values, bool *found) const noexcept {
    with_keys([&](const auto &key_handling) {
        for (size_t start = 0; start < count; start += kLookupBatch) {
            const size_t n = std::min(kLookupBatch, count - start);
            get_batch(key_handling, n, keys + start, values + start, found + start);
        }
        return 0;
    });
}

template <class Keys>
void Map::get_batch(const Keys &keys, size_t count, const Blob *key, Blob *values,
                    bool *found) const {
    uint64_t hashes[kLookupBatch];
    for (size_t i = 0; i < count; ++i) {
        hashes[i] = keys.hash(key[i]);
        table_.prefetch_home(hashes[i]);
    }
    for (size_t i = 0; i < count; ++i) table_.prefetch_after_home(hashes[i]);
    for (size_t i = 0; i < count; ++i) {
        const unsigned char *slot = find_slot(keys, key[i], hashes[i]);
        found[i] = slot != nullptr;
        if (found[i]) values[i] = value_at(slot);
    }
}

int Map::probe(Blob key, uint64_t *probes) const noexcept {
    LookupResult found;
    with_keys([&](const auto &keys) {
        find<Table::Purpose::find>(keys, key, keys.hash(key), found);
        return 0;
    });
    *probes = found.probes;
    return found.found() ? EHM_OK : EHM_NOTFOUND;
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
    table_.for_each_live([&](const SlotRef &where) { free_node(node_in(table_.slot(where))); });
}

void Map::write_entry(unsigned char *slot, Blob key, Blob value, void *node) {
    if (!settings_.layout.inline_entries) {
        std::memcpy(slot, &node, sizeof node);
        return;
    }
    std::memcpy(slot, key.data, key.len);
    if (value.data == nullptr)
        std::memset(slot + settings_.layout.value_offset, 0, value.len);
    else
        std::memcpy(slot + settings_.layout.value_offset, value.data, value.len);
}

// A value of the same length is overwritten in place; otherwise the entry gets
// a new node, so an allocation failure leaves the old value untouched.
int Map::replace_value(unsigned char *slot, Blob value) {
    Blob old = value_at(slot);
    if (old.len == value.len) {
        if (value.len != 0) std::memmove(const_cast<void *>(old.data), value.data, value.len);
        return EHM_OK;
    }
    Node *node = node_in(slot);
    void *fresh = nullptr;
    int status = make_node(Blob{node->key(), node->key_len}, node->hash, value, &fresh);
    if (status != EHM_OK) return status;
    std::memcpy(slot, &fresh, sizeof fresh);
    free_node(node);
    return EHM_OK;
}

int Map::put(Blob key, Blob value) noexcept {
    return with_keys([&](const auto &keys) { return put_as(keys, key, value); });
}

template <class Keys>
int Map::put_as(const Keys &keys, Blob key, Blob value) {
    Placed placed;
    int status = find_or_place(keys, key, value, placed);
    if (status != EHM_OK || placed.inserted) return status;
    return replace_value(placed.slot, value);
}

int Map::insert(Blob key, Blob value) noexcept {
    Placed placed;
    int status =
        with_keys([&](const auto &keys) { return find_or_place(keys, key, value, placed); });
    if (status != EHM_OK) return status;
    return placed.inserted ? EHM_OK : EHM_EXISTS;
}

int Map::upsert(Blob key, void **value, bool *inserted) noexcept {
    Placed placed;
    const Blob zeros{nullptr, settings_.layout.value_size};
    int status =
        with_keys([&](const auto &keys) { return find_or_place(keys, key, zeros, placed); });
    if (status != EHM_OK) return status;
    *value = const_cast<void *>(value_at(placed.slot).data);
    *inserted = placed.inserted;
    return EHM_OK;
}

// The old value is copied out before replace_value, which may free it.
int Map::exchange(Blob key, Blob value, void *old, size_t old_cap, size_t *old_len) noexcept {
    Placed placed;
    int status =
        with_keys([&](const auto &keys) { return find_or_place(keys, key, value, placed); });
    if (status != EHM_OK) return status;
    if (placed.inserted) return 0;
    const Blob previous = value_at(placed.slot);
    *old_len = previous.len;
    if (previous.len > old_cap) return EHM_ERANGE;
    if (previous.len != 0) std::memmove(old, previous.data, previous.len);
    status = replace_value(placed.slot, value);
    return status != EHM_OK ? status : 1;
}

int Map::take(Blob key, void *old, size_t old_cap, size_t *old_len) noexcept {
    LookupResult found;
    with_keys([&](const auto &keys) {
        find<Table::Purpose::find>(keys, key, keys.hash(key), found);
        return 0;
    });
    if (!found.found()) return EHM_NOTFOUND;
    const Blob previous = value_at(found.slot);
    *old_len = previous.len;
    if (previous.len > old_cap) return EHM_ERANGE;
    if (previous.len != 0) std::memmove(old, previous.data, previous.len);
    if (!settings_.layout.inline_entries) free_node(node_in(found.slot));
    table_.erase(found);
    --size_;
    return EHM_OK;
}

// While the table holds no tombstones, the home group answers most lookups on
// its own; with tombstones, the full lookup also finds one to reuse.
//
// `key` and `value` may point into this map (views it handed out). A node
// copies them before anything is freed; an inline entry is copied from them
// after placement, so when placement must first rebuild, which frees the old
// block, they are copied to the stack before it.
template <class Keys>
int Map::find_or_place(const Keys &keys, Blob key, Blob value, Placed &out) {
    const uint64_t hash = keys.hash(key);
    LookupResult found;
    if (table_.tombstones() == 0)
        found.slot = find_slot(keys, key, hash);
    else
        find<Table::Purpose::insert>(keys, key, hash, found);
    if (found.found()) {
        out.slot = found.slot;
        return EHM_OK;
    }

    void *node = nullptr;
    int status = make_node(key, hash, value, &node);
    if (status != EHM_OK) return status;
    unsigned char saved[kMaxInlineEntry]; // outlives the rebuild, until write_entry
    unsigned char *slot;
    if (found.free_tag != nullptr) {
        slot = table_.reuse(found, hash);
    } else {
        if (table_.full() && settings_.layout.inline_entries) {
            std::memcpy(saved, key.data, key.len);
            key.data = saved;
            if (value.data != nullptr) {
                std::memcpy(saved + key.len, value.data, value.len);
                value.data = saved + key.len;
            }
        }
        status = make_room();
        if (status != EHM_OK) {
            free_node(node);
            return status;
        }
        slot = table_.slot(table_.place(hash));
    }
    write_entry(slot, key, value, node);
    ++size_;
    ++generation_;
    out.slot = slot;
    out.inserted = true;
    return EHM_OK;
}

int Map::remove(Blob key) noexcept {
    LookupResult found;
    with_keys([&](const auto &keys) {
        find<Table::Purpose::find>(keys, key, keys.hash(key), found);
        return 0;
    });
    if (!found.found()) return EHM_NOTFOUND;
    if (!settings_.layout.inline_entries) free_node(node_in(found.slot));
    table_.erase(found);
    --size_;
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

int Map::rebuild(uint64_t groups) {
    Table fresh;
    int status = fresh.init(memory_, groups, settings_.delta, settings_.layout.slot_size);
    if (status != EHM_OK) return status;
    const size_t slot_size = settings_.layout.slot_size;
    with_keys([&](const auto &keys) {
        table_.for_each_live([&](const SlotRef &where) {
            const unsigned char *from = table_.slot(where);
            std::memcpy(fresh.slot(fresh.place(keys.stored_hash(from))), from, slot_size);
        });
        return 0;
    });
    table_.release(memory_);
    table_ = fresh;
    ++rebuilds_;
    ++generation_;
    return EHM_OK;
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
