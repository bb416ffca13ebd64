// Entry layouts: where a map's keys and values sit, and how its keys are
// hashed and compared.
//
// What a slot holds. When both key_size and value_size are fixed and the
// entry fits in kMaxInlineEntry bytes, the entry lives inline in its slot: key
// bytes, then the value at its natural alignment (up to 8). Otherwise a slot
// holds a pointer to a node from the map's allocator: the key's full hash,
// both lengths, the key, then the value 8-byte aligned. The stored hash turns
// most false tag matches into one integer compare instead of a memcmp.
//
// Why policy types. The hot paths (entry_paths.hpp) are compiled once per
// layout policy. A FixedInline<K, V> policy makes the key length, the slot
// size and the value's offset and size compile-time constants, so a lookup
// hashes at constant length, compares with one or two integer compares and
// addresses slots without a runtime multiply. InlineAny carries the same
// figures at run time for other fixed sizes, and Nodes serves variable
// lengths. Every policy answers the same questions with the same names.
#pragma once

#include "hash.hpp"

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

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
// The value an inline entry starts with when none is given (ehm_upsert).
inline constexpr unsigned char kZeroValue[kMaxInlineEntry] = {};

// Natural alignment of an n-byte field, capped at 8.
constexpr size_t field_align(size_t n) {
    size_t a = 1;
    while (a < 8 && n % (a * 2) == 0) a *= 2;
    return a;
}

constexpr size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

// Where an inline entry's value starts, and the slot that holds the entry.
constexpr size_t inline_value_offset(size_t key_size, size_t value_size) {
    return round_up(key_size, field_align(value_size));
}
constexpr size_t inline_slot_size(size_t key_size, size_t value_size) {
    const size_t a = field_align(key_size) > field_align(value_size) ? field_align(key_size)
                                                                     : field_align(value_size);
    return round_up(inline_value_offset(key_size, value_size) + value_size, a);
}

// Which policy serves a map; fixed key and value sizes with code of their own
// are listed in entry_paths.cpp.
struct EntryLayout {
    uint32_t key_size = 0;   // 0 = variable
    uint32_t value_size = 0; // 0 = variable
    bool inline_entries = false;
    size_t value_offset = 0; // inline entries: where the value starts in a slot
    size_t slot_size = sizeof(void *);

    static EntryLayout of(uint32_t key_size, uint32_t value_size) {
        EntryLayout l;
        l.key_size = key_size;
        l.value_size = value_size;
        if (key_size == 0 || value_size == 0) return l;
        if (inline_value_offset(key_size, value_size) + value_size > kMaxInlineEntry) return l;
        l.inline_entries = true;
        l.value_offset = inline_value_offset(key_size, value_size);
        l.slot_size = inline_slot_size(key_size, value_size);
        return l;
    }
};

// Equality of n bytes; the common fixed sizes compile to one compare.
inline bool bytes_equal(const void *a, const void *b, size_t n) {
    switch (n) {
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

// ---- inline entries, sizes fixed at compile time ------------------------------

template <uint32_t K, uint32_t V>
struct FixedInline {
    static_assert(K > 0 && V > 0 && inline_value_offset(K, V) + V <= kMaxInlineEntry);
    static constexpr bool kInline = true;
    static constexpr size_t kValueOffset = inline_value_offset(K, V);
    static constexpr size_t kEntryBytes = kValueOffset + V;

    const SeededHash &hasher;

    FixedInline(const EntryLayout &, const SeededHash &h) : hasher(h) {}

    static constexpr size_t slot_size() { return inline_slot_size(K, V); }
    static bool accepts_key(const void *key, size_t len) { return len == K && key != nullptr; }
    static bool accepts_value(const void *value, size_t len) {
        return len == V && value != nullptr;
    }
    static constexpr size_t value_size() { return V; }

    uint64_t hash(const void *key, size_t) const { return hasher.fixed<K>(key); }
    uint64_t stored_hash(const unsigned char *slot) const { return hasher.fixed<K>(slot); }
    static bool equals(const unsigned char *slot, const void *key, size_t, uint64_t) {
        return std::memcmp(slot, key, K) == 0;
    }
    static Blob key_at(const unsigned char *slot) { return Blob{slot, K}; }
    static unsigned char *value_in(unsigned char *slot) { return slot + kValueOffset; }
    static Blob value_at(const unsigned char *slot) { return Blob{slot + kValueOffset, V}; }
};

// ---- inline entries of other fixed sizes ---------------------------------------

struct InlineAny {
    static constexpr bool kInline = true;
    const SeededHash &hasher;
    size_t key_size, value_size_, value_offset, slot_size_;

    InlineAny(const EntryLayout &l, const SeededHash &h)
        : hasher(h), key_size(l.key_size), value_size_(l.value_size), value_offset(l.value_offset),
          slot_size_(l.slot_size) {}

    size_t slot_size() const { return slot_size_; }
    bool accepts_key(const void *key, size_t len) const {
        return len == key_size && key != nullptr;
    }
    bool accepts_value(const void *value, size_t len) const {
        return len == value_size_ && value != nullptr;
    }
    size_t value_size() const { return value_size_; }

    uint64_t hash(const void *key, size_t) const { return hasher(key, key_size); }
    uint64_t stored_hash(const unsigned char *slot) const { return hasher(slot, key_size); }
    bool equals(const unsigned char *slot, const void *key, size_t, uint64_t) const {
        return bytes_equal(slot, key, key_size);
    }
    Blob key_at(const unsigned char *slot) const { return Blob{slot, key_size}; }
    unsigned char *value_in(unsigned char *slot) const { return slot + value_offset; }
    Blob value_at(const unsigned char *slot) const {
        return Blob{slot + value_offset, value_size_};
    }
};

// ---- entries in nodes -----------------------------------------------------------

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
    static Node *in(const unsigned char *slot) {
        Node *node;
        std::memcpy(&node, slot, sizeof node);
        return node;
    }
};
inline constexpr size_t kNodeAlign = alignof(Node);

// EHM_OK for a blob a map with this fixed size (0: any) can take, else why not.
inline int blob_status(const void *data, size_t len, uint32_t fixed_size) {
    if (data == nullptr && len != 0) return EHM_EINVAL;
    if (fixed_size != 0 && len != fixed_size) return EHM_EINVAL;
    if (len > kMaxBlobLength) return EHM_ETOOBIG;
    return EHM_OK;
}

struct Nodes {
    static constexpr bool kInline = false;
    const SeededHash &hasher;
    uint32_t key_size, value_size_; // fixed sizes too large to sit inline, or 0

    Nodes(const EntryLayout &l, const SeededHash &h)
        : hasher(h), key_size(l.key_size), value_size_(l.value_size) {}

    static constexpr size_t slot_size() { return sizeof(Node *); }
    bool accepts_key(const void *key, size_t len) const {
        return blob_status(key, len, key_size) == EHM_OK;
    }
    bool accepts_value(const void *value, size_t len) const {
        return blob_status(value, len, value_size_) == EHM_OK;
    }
    size_t value_size() const { return value_size_; }

    uint64_t hash(const void *key, size_t len) const { return hasher(key, len); }
    static uint64_t stored_hash(const unsigned char *slot) { return Node::in(slot)->hash; }
    static bool equals(const unsigned char *slot, const void *key, size_t len, uint64_t hash) {
        Node *node = Node::in(slot);
        return node->hash == hash && node->key_len == len && bytes_equal(node->key(), key, len);
    }
    static Blob key_at(const unsigned char *slot) {
        Node *node = Node::in(slot);
        return Blob{node->key(), node->key_len};
    }
    static unsigned char *value_in(unsigned char *slot) { return Node::in(slot)->value(); }
    static Blob value_at(const unsigned char *slot) {
        Node *node = Node::in(slot);
        return Blob{node->value(), node->value_len};
    }
};

} // namespace ehm::detail
