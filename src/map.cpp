#include "map.hpp"

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

constexpr uint64_t kEntryKeySeed = 0x6568'6d2d'6b65'7921ull;

} // namespace

ehm_allocator Memory::system_allocator() {
    return ehm_allocator{system_alloc, system_free, nullptr};
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

int Map::entry_error(Blob key, Blob value) const {
    const int status = check_key(key);
    return status != EHM_OK ? status : check_value(value);
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
    if (value.len != 0) std::memcpy(node->value(), value.data, value.len);
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

// Before a new key is placed in a table at its limit: reclaim tombstones when
// they are worth an eighth of the limit, else grow by half or a little more.
int Map::make_room() {
    if (!table_.full()) return EHM_OK;
    const uint64_t limit = table_.max_occupied();
    uint64_t groups = table_.groups();
    if ((size_ + 1) > limit - limit / 8 || table_.tombstones() == 0) {
        // With a large delta one step may not take the new key: keep going.
        do {
            groups = grown_group_count(groups);
            if (groups > kMaxGroups) return EHM_ETOOBIG;
        } while (max_occupied(groups, settings_.delta) <= size_);
    }
    return rebuild(groups);
}

int Map::reserve(uint64_t entries) noexcept {
    uint64_t groups = groups_for_entries(entries, settings_.delta);
    if (groups == 0) return EHM_ETOOBIG;
    if (groups <= table_.groups()) return EHM_OK;
    return rebuild(groups);
}

void Map::clear() noexcept {
    free_entries();
    table_.reset();
    size_ = 0;
}

// ---- whole-map operations ---------------------------------------------------

int Map::next(size_t *cursor, Blob *key, Blob *value) const noexcept {
    SlotRef where;
    uint64_t index = 0;
    if (!table_.next_live(*cursor, where, index)) return EHM_ITEROVER;
    const unsigned char *slot = table_.slot(where);
    if (key != nullptr) *key = key_at(slot);
    if (value != nullptr) *value = value_at(slot);
    *cursor = static_cast<size_t>(index + 1);
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
