// The per-key operations, compiled once per entry layout policy.
//
// Why one copy per layout. A lookup that decides in its home group is a few
// dozen instructions; a branch on the layout, a runtime multiply by the slot
// size or a libc call on a runtime length is a visible share of that, and in
// a loop of independent lookups every instruction shrinks how many of them
// the processor overlaps. EntryPaths<L> is the whole per-key path with L's
// sizes built in; entry_paths.cpp instantiates it for each policy and
// entry_ops_for() hands a map its set.
//
// The shape of every operation: check the lengths (the refusal is a cold
// call), hash once, locate the home group once, search it inline, then the
// only level the home mask may name, inline too; anything further is an
// out-of-line call. An insertion takes the schedule's first choice when the
// current decision holds (Table::place_first_choice), else the full schedule.
//
// Aliasing. Keys and values may point into this map (views from ehm_get and
// friends). Whatever could free or move what they point to, a rebuild or a
// node replaced, runs only after they have been read: nodes are made before a
// rebuild, and inline entries are copied aside before one.
#pragma once

#include "map.hpp"

#include <cstring>
#include <utility>

namespace ehm::detail {

template <class L>
struct EntryPaths {
    // What a search looks for (table.hpp's Needle).
    struct Needle {
        const L &layout;
        const void *key;
        size_t len;
        uint64_t hash;
        bool matches(const unsigned char *slot) const {
            return layout.equals(slot, key, len, hash);
        }
        size_t slot_size() const { return layout.slot_size(); }
    };

    static L layout(const Map *m) { return L(m->settings_.layout, m->hasher_); }

    // ---- lookups ----

    // The inline part of every search: the home group, then A2's and A3's
    // first groups when only they may hold the key. `unknown` leaves the rest
    // to search_rest().
    [[gnu::always_inline]] static Table::Verdict search_inline(const Map *m, const Needle &needle,
                                                               Hit &hit) {
        const Table &t = m->table_;
        const HomeGroup home = t.home(needle.hash, needle.slot_size());
        const Table::Verdict verdict = t.search_home(home, needle, hit);
        if (verdict != Table::Verdict::unknown) return verdict;
        return t.search_first_groups(home, needle, hit);
    }
    static Hit search_rest(const Map *m, const Needle &needle) {
        const Table &t = m->table_;
        return t.search_beyond_home(needle);
    }
    [[gnu::always_inline]] static Hit find(const Map *m, const Needle &needle) {
        Hit hit;
        switch (search_inline(m, needle, hit)) {
        case Table::Verdict::found:
            return hit;
        case Table::Verdict::absent:
            return Hit{};
        case Table::Verdict::unknown:
            break;
        }
        return search_rest(m, needle);
    }

    // Why the key (or the key and value) of the call `function` were refused,
    // recorded for ehm_last_error.
    [[gnu::noinline, gnu::cold]] static int refuse(const Map *m, const char *function,
                                                   const void *key, size_t key_len) {
        return m->explain_key(function, Blob{key, key_len});
    }
    [[gnu::noinline, gnu::cold]] static int refuse(const Map *m, const char *function,
                                                   const void *key, size_t key_len,
                                                   const void *value, size_t value_len) {
        const int status = m->explain_key(function, Blob{key, key_len});
        return status != EHM_OK ? status : m->explain_value(function, Blob{value, value_len});
    }

    // Each lookup is an inline part and, when that cannot decide, a tail call
    // to an out-of-line rest that searches on and finishes the same way; the
    // inline part then needs no stack frame.
    static int report(const L &l, Hit hit, const void **value, size_t *value_len) {
        const Blob found = l.value_at(hit.slot);
        if (value != nullptr) *value = found.data;
        if (value_len != nullptr) *value_len = found.len;
        return EHM_OK;
    }
    // found(hit) when the inline search finds the key, absent() when it proves
    // the key absent, else unknown(), which the callers make a tail call.
    template <class Found, class Absent, class Unknown>
    [[gnu::always_inline]] static int after_inline_search(const Map *m, const Needle &needle,
                                                          const Found &found, const Absent &absent,
                                                          const Unknown &unknown) {
        Hit hit;
        switch (search_inline(m, needle, hit)) {
        case Table::Verdict::found:
            return found(hit);
        case Table::Verdict::absent:
            return absent();
        case Table::Verdict::unknown:
            break;
        }
        return unknown();
    }

    static int get(const Map *m, const void *key, size_t key_len, const void **value,
                   size_t *value_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_get", key, key_len);
        const uint64_t hash = l.hash(key, key_len);
        return after_inline_search(
            m, Needle{l, key, key_len, hash},
            [&](Hit hit) { return report(l, hit, value, value_len); }, [] { return EHM_NOTFOUND; },
            [&] { return get_rest(m, key, key_len, hash, value, value_len); });
    }
    [[gnu::noinline]] static int get_rest(const Map *m, const void *key, size_t key_len,
                                          uint64_t hash, const void **value, size_t *value_len) {
        const L l = layout(m);
        const Hit hit = search_rest(m, Needle{l, key, key_len, hash});
        return hit ? report(l, hit, value, value_len) : EHM_NOTFOUND;
    }

    static int copy_out(const L &l, Hit hit, void *buf, size_t buf_len, size_t *value_len) {
        const Blob found = l.value_at(hit.slot);
        *value_len = found.len;
        if (buf_len < found.len) return EHM_ERANGE;
        if (found.len != 0) std::memcpy(buf, found.data, found.len);
        return EHM_OK;
    }
    static int get_copy(const Map *m, const void *key, size_t key_len, void *buf, size_t buf_len,
                        size_t *value_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_get_copy", key, key_len);
        const uint64_t hash = l.hash(key, key_len);
        return after_inline_search(
            m, Needle{l, key, key_len, hash},
            [&](Hit hit) { return copy_out(l, hit, buf, buf_len, value_len); },
            [] { return EHM_NOTFOUND; },
            [&] { return get_copy_rest(m, key, key_len, hash, buf, buf_len, value_len); });
    }
    [[gnu::noinline]] static int get_copy_rest(const Map *m, const void *key, size_t key_len,
                                               uint64_t hash, void *buf, size_t buf_len,
                                               size_t *value_len) {
        const L l = layout(m);
        const Hit hit = search_rest(m, Needle{l, key, key_len, hash});
        return hit ? copy_out(l, hit, buf, buf_len, value_len) : EHM_NOTFOUND;
    }

    static int contains(const Map *m, const void *key, size_t key_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_contains", key, key_len);
        const uint64_t hash = l.hash(key, key_len);
        return after_inline_search(
            m, Needle{l, key, key_len, hash}, [](Hit) { return 1; }, [] { return 0; },
            [&] { return contains_rest(m, key, key_len, hash); });
    }
    [[gnu::noinline]] static int contains_rest(const Map *m, const void *key, size_t key_len,
                                               uint64_t hash) {
        const L l = layout(m);
        return search_rest(m, Needle{l, key, key_len, hash}) ? 1 : 0;
    }

    // Keys whose home groups are loaded at once: enough to cover the memory
    // latency, few enough that their hashes stay in registers and L1.
    static constexpr size_t kLookupBatch = 16;

    static void get_many(const Map *m, size_t count, const Blob *keys, Blob *values, bool *found) {
        const L l = layout(m);
        const Table &t = m->table_;
        uint64_t hashes[kLookupBatch];
        for (size_t start = 0; start < count; start += kLookupBatch) {
            const size_t n = count - start < kLookupBatch ? count - start : kLookupBatch;
            const Blob *key = keys + start;
            for (size_t i = 0; i < n; ++i) {
                hashes[i] = l.hash(key[i].data, key[i].len);
                t.prefetch_home(hashes[i]);
            }
            for (size_t i = 0; i < n; ++i)
                t.prefetch_after_home(t.home(hashes[i], l.slot_size()),
                                      Needle{l, key[i].data, key[i].len, hashes[i]});
            for (size_t i = 0; i < n; ++i) {
                const Hit hit = find(m, Needle{l, key[i].data, key[i].len, hashes[i]});
                found[start + i] = static_cast<bool>(hit);
                if (hit) values[start + i] = l.value_at(hit.slot);
            }
        }
    }

    static int probe(const Map *m, Blob key, LookupCost *cost) {
        const L l = layout(m);
        LookupResult result;
        m->table_.template lookup<Table::Purpose::find>(
            Needle{l, key.data, key.len, l.hash(key.data, key.len)}, result);
        *cost = LookupCost{result.probes, result.fetches};
        return result.found() ? EHM_OK : EHM_NOTFOUND;
    }

    // ---- mutations ----

    static int put(Map *m, const void *key, size_t key_len, const void *value, size_t value_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len) || !l.accepts_value(value, value_len))
            return refuse(m, "ehm_put", key, key_len, value, value_len);
        const uint64_t hash = l.hash(key, key_len);
        if (m->table_.tombstones() != 0)
            return put_among_tombstones(m, key, key_len, hash, value, value_len);
        Hit hit;
        switch (search_inline(m, Needle{l, key, key_len, hash}, hit)) {
        case Table::Verdict::found:
            return replace(m, l, hit.slot, value, value_len);
        case Table::Verdict::absent:
            break;
        case Table::Verdict::unknown:
            return put_rest(m, key, key_len, hash, value, value_len);
        }
        return insert_new(m, key, key_len, hash, value, value_len);
    }
    [[gnu::noinline]] static int put_rest(Map *m, const void *key, size_t key_len, uint64_t hash,
                                          const void *value, size_t value_len) {
        const L l = layout(m);
        const Hit hit = search_rest(m, Needle{l, key, key_len, hash});
        if (hit) return replace(m, l, hit.slot, value, value_len);
        return insert_new(m, key, key_len, hash, value, value_len);
    }

    // The slot of `key`, found or newly placed with `value` (NULL: value_len
    // zero bytes); out->inserted says which. One hash, one lookup. The value
    // of a present key is left as it is.
    static int find_or_place(Map *m, const void *key, size_t key_len, const void *value,
                             size_t value_len, Placed *out) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_insert", key, key_len);
        if constexpr (L::kInline) {
            if (value == nullptr) value = kZeroValue;
        }
        const uint64_t hash = l.hash(key, key_len);
        const Needle needle{l, key, key_len, hash};
        out->inserted = false;
        if (m->table_.tombstones() != 0) {
            LookupResult found;
            m->table_.template lookup<Table::Purpose::insert>(needle, found);
            if (found.found()) {
                out->slot = found.hit.slot;
                return EHM_OK;
            }
            out->inserted = true;
            return insert_found_absent(m, found, key, key_len, hash, value, value_len, &out->slot);
        }
        const Hit hit = find(m, needle);
        if (hit) {
            out->slot = hit.slot;
            return EHM_OK;
        }
        out->inserted = true;
        return insert_new(m, key, key_len, hash, value, value_len, &out->slot);
    }

    // remove() that first copies the value out as ehm_get_copy does; with
    // too small a buffer, EHM_ERANGE and nothing removed.
    static int take(Map *m, const void *key, size_t key_len, void *buf, size_t buf_len,
                    size_t *value_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_remove_copy", key, key_len);
        const Hit hit = find(m, Needle{l, key, key_len, l.hash(key, key_len)});
        if (!hit) return EHM_NOTFOUND;
        const int status = copy_out(l, hit, buf, buf_len, value_len);
        if (status != EHM_OK) return status;
        erase(m, hit);
        return EHM_OK;
    }
    static void erase(Map *m, Hit hit) {
        if constexpr (!L::kInline) m->free_node(Node::in(hit.slot));
        m->table_.erase(hit.tag);
        --m->size_;
    }

    static int remove(Map *m, const void *key, size_t key_len) {
        const L l = layout(m);
        if (!l.accepts_key(key, key_len)) return refuse(m, "ehm_remove", key, key_len);
        const Hit hit = find(m, Needle{l, key, key_len, l.hash(key, key_len)});
        if (!hit) return EHM_NOTFOUND;
        erase(m, hit);
        return EHM_OK;
    }

    // The value of a present key; `value` may be that very value.
    static int replace(Map *m, const L &l, unsigned char *slot, const void *value,
                       size_t value_len) {
        if constexpr (L::kInline) {
            std::memmove(l.value_in(slot), value, l.value_size());
            return EHM_OK;
        } else {
            return m->replace_value(slot, Blob{value, value_len});
        }
    }

    // With tombstones about, the full lookup also finds one on the key's path
    // to reuse.
    [[gnu::noinline]] static int put_among_tombstones(Map *m, const void *key, size_t key_len,
                                                      uint64_t hash, const void *value,
                                                      size_t value_len) {
        LookupResult found;
        m->table_.template lookup<Table::Purpose::insert>(Needle{layout(m), key, key_len, hash},
                                                          found);
        if (found.found()) return replace(m, layout(m), found.hit.slot, value, value_len);
        return insert_found_absent(m, found, key, key_len, hash, value, value_len, nullptr);
    }
    // After a full lookup for insertion found the key absent: its first
    // tombstone, else a placement.
    static int insert_found_absent(Map *m, const LookupResult &found, const void *key,
                                   size_t key_len, uint64_t hash, const void *value,
                                   size_t value_len, unsigned char **placed) {
        if (found.free.tag == nullptr)
            return insert_new(m, key, key_len, hash, value, value_len, placed);
        void *node = nullptr;
        if constexpr (!L::kInline) {
            const int status =
                m->make_node(Blob{key, key_len}, hash, Blob{value, value_len}, &node);
            if (status != EHM_OK) return status;
        }
        unsigned char *slot = m->table_.reuse(found, hash);
        if constexpr (L::kInline)
            write_inline(layout(m), slot, key, value);
        else
            std::memcpy(slot, &node, sizeof node);
        m->count_insertion();
        if (placed != nullptr) *placed = slot;
        return EHM_OK;
    }

    // A new key: the schedule's first choice inline, anything else out of line.
    [[gnu::always_inline]] static int insert_new(Map *m, const void *key, size_t key_len,
                                                 uint64_t hash, const void *value, size_t value_len,
                                                 unsigned char **placed = nullptr) {
        if constexpr (L::kInline) {
            Table &t = m->table_;
            const L l = layout(m);
            unsigned char *slot = t.full() ? nullptr : t.place_first_choice(hash, l.slot_size());
            if (slot != nullptr) {
                write_inline(l, slot, key, value);
                m->count_insertion();
                if (placed != nullptr) *placed = slot;
                return EHM_OK;
            }
        }
        return insert_slow(m, key, key_len, hash, value, value_len, placed);
    }

    [[gnu::noinline]] static int insert_slow(Map *m, const void *key, size_t key_len, uint64_t hash,
                                             const void *value, size_t value_len,
                                             unsigned char **placed) {
        const L l = layout(m);
        unsigned char *slot;
        if constexpr (L::kInline) {
            // The key and value may point into the block a rebuild frees:
            // copy them aside first.
            alignas(8) unsigned char entry[kMaxInlineEntry];
            write_inline(l, entry, key, value);
            const int status = m->make_room();
            if (status != EHM_OK) return status;
            slot = place(m->table_, l, hash);
            std::memcpy(slot, entry, l.slot_size());
        } else {
            // The node holds copies: the rebuild may free the originals.
            void *node = nullptr;
            int status = m->make_node(Blob{key, key_len}, hash, Blob{value, value_len}, &node);
            if (status != EHM_OK) return status;
            status = m->make_room();
            if (status != EHM_OK) {
                m->free_node(node);
                return status;
            }
            slot = place(m->table_, l, hash);
            std::memcpy(slot, &node, sizeof node);
        }
        m->count_insertion();
        if (placed != nullptr) *placed = slot;
        return EHM_OK;
    }

    static void write_inline(const L &l, unsigned char *slot, const void *key, const void *value) {
        const Blob k = l.key_at(slot);
        std::memcpy(slot, key, k.len);
        std::memcpy(l.value_in(slot), value, l.value_size());
    }

    // Where the schedule puts a new key. Precondition: !t.full().
    [[gnu::always_inline]] static unsigned char *place(Table &t, const L &l, uint64_t hash) {
        unsigned char *slot = t.place_first_choice(hash, l.slot_size());
        if (slot != nullptr) return slot;
        return t.slot(t.place(hash));
    }

    // ---- rebuild ----

    // Places every entry again, in table order (the order the schedule sees
    // them in is part of where they land), into a fresh table of `groups`.
    // One group behind: the entries of a group are hashed and their
    // first-choice groups requested, then the previous group's entries are
    // placed while those requests are under way.
    static int rebuild(Map *m, uint64_t groups) {
        const L l = layout(m);
        Table fresh;
        const int status = fresh.init(m->memory_, groups, m->settings_.delta, l.slot_size(),
                                      m->settings_.reference_schedule);
        if (status != EHM_OK) return status;
        struct Pending {
            const unsigned char *from;
            uint64_t hash;
        };
        Pending batches[2][kGroupSlots];
        Pending *ready = batches[0], *next = batches[1];
        unsigned ready_count = 0;
        m->table_.for_each_live_group([&](const unsigned char *slots, uint32_t live) {
            unsigned count = 0;
            for (; live != 0; live &= live - 1, ++count) {
                const unsigned char *from = slots + lowest_bit(live) * l.slot_size();
                next[count] = Pending{from, l.stored_hash(from)};
                fresh.prefetch_first_choice(next[count].hash);
            }
            for (unsigned i = 0; i < ready_count; ++i)
                move_entry(fresh, l, ready[i].from, ready[i].hash);
            std::swap(ready, next);
            ready_count = count;
        });
        for (unsigned i = 0; i < ready_count; ++i)
            move_entry(fresh, l, ready[i].from, ready[i].hash);
        m->table_.release(m->memory_);
        m->table_ = fresh;
        ++m->rebuilds_;
        ++m->generation_;
        return EHM_OK;
    }
    [[gnu::always_inline]] static void move_entry(Table &fresh, const L &l,
                                                  const unsigned char *from, uint64_t hash) {
        std::memcpy(place(fresh, l, hash), from, l.slot_size());
    }

    static constexpr EntryOps kOps{get,  get_copy, contains, put,     remove,
                                   take, get_many, probe,    rebuild, find_or_place};
};

} // namespace ehm::detail
