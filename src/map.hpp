// The map: keys and values as byte blobs on top of the elastic table.
//
// What it stores. When both key_size and value_size are fixed and small, an
// entry lives inline in its slot: key bytes, then the value at its natural
// alignment (up to 8). Otherwise a slot holds a pointer to a node from the
// map's allocator: the key's full hash, both lengths, the key, then the value
// 8-byte aligned. The stored hash turns most false tag matches into one
// integer compare instead of a memcmp.
//
// Growth. A new key that finds the table at its limit (1 - delta of the
// slots occupied, tombstones included) triggers a rebuild into fresh memory:
// at the same size when removals left enough tombstones to reclaim, else at
// twice the size. A rebuild allocates before it touches anything, so a
// failure leaves the old table intact; entries keep their nodes, so no key or
// value is copied or reallocated.
//
// Every operation returns an EHM_* status and is noexcept: the core never
// throws and never allocates outside Memory.
#pragma once

#include "memory.hpp"
#include "table.hpp"

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

struct Blob {
    const void *data;
    size_t len;
};

// Longest key or value accepted; far beyond memory, and it keeps node-size
// arithmetic free of overflow.
inline constexpr size_t kMaxBlobLength = SIZE_MAX / 4;
// Fixed-size entries up to this many bytes are stored inline in the slots.
inline constexpr size_t kMaxInlineEntry = 128;

// How a lookup reads keys: inline keys of 4, 8 or 16 bytes get code compiled
// for that length; other inline keys and node keys take the general path.
enum class KeyKind : uint8_t { inline4, inline8, inline16, inline_any, node };

struct EntryLayout {
    uint32_t key_size = 0;   // 0 = variable
    uint32_t value_size = 0; // 0 = variable
    bool inline_entries = false;
    KeyKind keys = KeyKind::node;
    size_t value_offset = 0; // inline entries: where the value starts in a slot
    size_t slot_size = sizeof(void *);

    static EntryLayout of(uint32_t key_size, uint32_t value_size);
};

struct Settings {
    Delta delta{1};
    uint64_t seed = 0;
    EntryLayout layout;
};

class Map {
public:
    // Builds a map in memory from `allocator`; *out stays NULL on failure.
    static int create(const ehm_allocator &allocator, const Settings &settings, uint64_t capacity,
                      Map **out) noexcept;
    static void destroy(Map *map) noexcept;
    int clone(Map **out) const noexcept;

    int put(Blob key, Blob value) noexcept;
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
    int take(Blob key, void *old, size_t old_cap, size_t *old_len) noexcept;
    int get(Blob key, Blob *value) const noexcept;
    // get() for keys[0..count): found[i] says whether values[i] was set.
    // Hashes a batch of keys and starts loading their home groups before
    // searching any, so that their cache misses overlap.
    void get_many(size_t count, const Blob *keys, Blob *values, bool *found) const noexcept;
    // Runs the full lookup and reports the groups it read.
    int probe(Blob key, uint64_t *probes) const noexcept;
    int remove(Blob key) noexcept;
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
    // Status for a key or value length this map cannot take, or EHM_OK.
    int check_key(Blob key) const { return check_blob(key, settings_.layout.key_size); }
    int check_value(Blob value) const { return check_blob(value, settings_.layout.value_size); }

private:
    Map(const ehm_allocator &allocator, const Settings &settings)
        : memory_(allocator), settings_(settings) {}

    static Map *allocate_shell(const ehm_allocator &allocator, const Settings &settings);
    static void free_shell(Map *map);
    int duplicate_nodes(const Map &src);

    // A blob a map with this fixed size (0: any) can take, or why not.
    static int check_blob(Blob blob, uint32_t fixed_size) {
        if (blob.data == nullptr && blob.len != 0) return EHM_EINVAL;
        if (fixed_size != 0 && blob.len != fixed_size) return EHM_EINVAL;
        if (blob.len > kMaxBlobLength) return EHM_ETOOBIG;
        return EHM_OK;
    }

    template <class Visit>
    [[gnu::always_inline]] auto with_keys(const Visit &visit) const;
    template <class Keys>
    unsigned char *find_slot(const Keys &keys, Blob key, uint64_t hash) const;
    template <Table::Purpose purpose, class Keys>
    void find(const Keys &keys, Blob key, uint64_t hash, LookupResult &out) const;
    template <class Keys>
    [[gnu::noinline]] int get_as(const Keys &keys, Blob key, Blob *value) const;
    template <class Keys>
    void get_batch(const Keys &keys, size_t count, const Blob *key, Blob *values,
                   bool *found) const;
    // The slot holding `key`, found or newly placed with `value` (data NULL:
    // value.len zero bytes); `inserted` tells which. One hash, one lookup.
    struct Placed {
        unsigned char *slot = nullptr;
        bool inserted = false;
    };
    template <class Keys>
    int find_or_place(const Keys &keys, Blob key, Blob value, Placed &out);
    template <class Keys>
    int put_as(const Keys &keys, Blob key, Blob value);

    Blob key_at(const unsigned char *slot) const;
    Blob value_at(const unsigned char *slot) const;

    int make_node(Blob key, uint64_t hash, Blob value, void **node);
    void free_node(void *node);
    void free_entries();
    void write_entry(unsigned char *slot, Blob key, Blob value, void *node);
    int replace_value(unsigned char *slot, Blob value);
    int make_room();
    int rebuild(uint64_t groups);

    Memory memory_;
    Settings settings_;
    Table table_;
    uint64_t size_ = 0;
    uint64_t rebuilds_ = 0;
    uint64_t generation_ = 0; // insertions, rebuilds and clears: what invalidates cursors
};

} // namespace ehm::detail
