// The map: keys and values as byte blobs on top of the elastic table.
//
// What it stores. Entries sit inline in their slots or in nodes, as the map's
// EntryLayout says (layout.hpp). The operations that run per key (lookups,
// puts, removals, rebuilds) are compiled once per layout policy
// (entry_paths.hpp); a map holds the set for its layout, chosen when it is
// made, so a C entry point reaches code with the map's sizes built in through
// one indirect call.
//
// Growth. A new key that finds the table at its limit (1 - delta of the
// slots occupied, tombstones included) triggers a rebuild into fresh memory:
// at the same size when removals left enough tombstones to reclaim, else at
// about 1.5 times the size (geometry.hpp, grown_group_count). A rebuild
// allocates before it touches anything, so a failure leaves the old table
// intact; entries keep their nodes, so no key or value is copied or
// reallocated.
//
// Every operation returns an EHM_* status and is noexcept: the core never
// throws and never allocates outside Memory.
#pragma once

#include "layout.hpp"
#include "memory.hpp"
#include "table.hpp"

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

struct Settings {
    Delta delta{1};
    uint64_t seed = 0;
    EntryLayout layout;
    // Every placement runs the full schedule (tests compare the fast path with it).
    bool reference_schedule = false;
};

class Map;

// Where find_or_place left a key.
struct Placed {
    unsigned char *slot = nullptr;
    bool inserted = false;
};

// The per-key operations of one layout policy (entry_paths.hpp); the C entry
// points call them after checking the map handle.
// What one lookup cost: groups read, and memory fetches (LookupResult).
struct LookupCost {
    uint64_t probes = 0;
    uint64_t fetches = 0;
};

struct EntryOps {
    int (*get)(const Map *, const void *key, size_t key_len, const void **value, size_t *value_len);
    int (*get_copy)(const Map *, const void *key, size_t key_len, void *buf, size_t buf_len,
                    size_t *value_len);
    int (*contains)(const Map *, const void *key, size_t key_len);
    int (*put)(Map *, const void *key, size_t key_len, const void *value, size_t value_len);
    int (*remove)(Map *, const void *key, size_t key_len);
    int (*take)(Map *, const void *key, size_t key_len, void *buf, size_t buf_len,
                size_t *value_len);
    // found[i] says whether values[i] was set; keys were checked by the caller.
    void (*get_many)(const Map *, size_t count, const Blob *keys, Blob *values, bool *found);
    int (*probe)(const Map *, Blob key, LookupCost *cost);
    int (*rebuild)(Map *, uint64_t groups);
    int (*find_or_place)(Map *, const void *key, size_t key_len, const void *value,
                         size_t value_len, Placed *out);
};

// The operations for `layout`, chosen once per map.
const EntryOps &entry_ops_for(const EntryLayout &layout);

class Map {
public:
    // Builds a map in memory from `allocator`; *out stays NULL on failure.
    static int create(const ehm_allocator &allocator, const Settings &settings, uint64_t capacity,
                      Map **out) noexcept;
    static void destroy(Map *map) noexcept;
    int clone(Map **out) const noexcept;

    const EntryOps &ops() const { return ops_; }
    int put(Blob key, Blob value) noexcept {
        return ops_.put(this, key.data, key.len, value.data, value.len);
    }
    // Inserts only an absent key: EHM_EXISTS, with nothing changed, when present.
    int insert(Blob key, Blob value) noexcept;
    // Fixed value_size maps: finds the key or inserts it with a zeroed value,
    // and points *value at the value's bytes in the map.
    int upsert(Blob key, void **value, bool *inserted) noexcept;
    // put() that first copies the value it replaces into old[0..old_cap) and
    // sets *old_len: 1 when it replaced, 0 when it inserted. An old value
    // longer than old_cap: EHM_ERANGE, *old_len set, nothing changed.
    int exchange(Blob key, Blob value, void *old, size_t old_cap, size_t *old_len) noexcept;
    // remove() that first copies the removed value out, as exchange() does.
    int take(Blob key, void *old, size_t old_cap, size_t *old_len) noexcept {
        return ops_.take(this, key.data, key.len, old, old_cap, old_len);
    }
    int get(Blob key, Blob *value) const noexcept;
    void get_many(size_t count, const Blob *keys, Blob *values, bool *found) const noexcept {
        ops_.get_many(this, count, keys, values, found);
    }
    // Runs the full lookup and reports the groups it read.
    int probe(Blob key, LookupCost *cost) const noexcept { return ops_.probe(this, key, cost); }
    int remove(Blob key) noexcept { return ops_.remove(this, key.data, key.len); }
    int reserve(uint64_t entries) noexcept;
    void clear() noexcept;
    // EHM_EINVAL for a cursor made before an insertion, rebuild or clear
    // (removals keep cursors valid).
    int next(size_t *cursor, Blob *key, Blob *value) const noexcept;
    // The tag a cursor of the current generation carries, and the one a
    // given cursor carries.
    unsigned cursor_tag() const noexcept;
    static unsigned cursor_tag_of(size_t cursor) noexcept;
    bool contains_value(Blob value) const noexcept;
    bool equals(const Map &other) const noexcept;
    uint64_t content_hash() const noexcept;
    void stats(ehm_stats &out) const noexcept;

    uint64_t size() const { return size_; }
    uint64_t capacity() const { return table_.slots(); }
    const EntryLayout &layout() const { return settings_.layout; }
    const Table &table() const { return table_; }
    // Status for a key or value length this map cannot take, or EHM_OK.
    int check_key(Blob key) const {
        return blob_status(key.data, key.len, settings_.layout.key_size);
    }
    int check_value(Blob value) const {
        return blob_status(value.data, value.len, settings_.layout.value_size);
    }
    // check_key() and check_value() that also record, for ehm_last_error, why
    // the call `function` refused the blob.
    int explain_key(const char *function, Blob key) const;
    int explain_value(const char *function, Blob value) const;

private:
    template <class Layout>
    friend struct EntryPaths;

    Map(const ehm_allocator &allocator, const Settings &settings)
        : ops_(entry_ops_for(settings.layout)), hasher_(settings.seed), memory_(allocator),
          settings_(settings) {}

    static Map *allocate_shell(const ehm_allocator &allocator, const Settings &settings);
    static void free_shell(Map *map);
    int duplicate_nodes(const Map &src);

    Blob key_at(const unsigned char *slot) const;
    Blob value_at(const unsigned char *slot) const;

    int make_node(Blob key, uint64_t hash, Blob value, void **node);
    void free_node(void *node);
    void free_entries();
    int replace_value(unsigned char *slot, Blob value);
    // Makes the table take one more key: a rebuild when it is at its limit.
    int make_room();
    int rebuild(uint64_t groups) { return ops_.rebuild(this, groups); }
    // Counts a new entry; cursors made before it are stale.
    void count_insertion() {
        ++size_;
        ++generation_;
    }

    // What every lookup reads first sits together at the start.
    const EntryOps ops_;
    const SeededHash hasher_;
    Table table_;
    uint64_t size_ = 0;
    Memory memory_;
    Settings settings_;
    uint64_t rebuilds_ = 0;
    uint64_t generation_ = 0; // insertions, rebuilds and clears: what invalidates cursors
};

} // namespace ehm::detail
